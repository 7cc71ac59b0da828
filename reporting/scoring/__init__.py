"""基层支部年度工作量化考核: scoring schemes as data, branch sheets computed from the metric registry, the review
workflow, the ranking page and the scoring workbook."""

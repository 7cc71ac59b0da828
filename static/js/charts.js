/* Apache ECharts for elements marked data-chart="ID": the chart's option comes as JSON from the
   <script type="application/json" id="ID"> that Django's json_script filter writes. Load after
   echarts.min.js (templates/includes/echarts.html). */
(function () {
  "use strict";

  if (typeof window.echarts === "undefined") {
    return;
  }
  var locale = (document.documentElement.lang || "").toLowerCase().indexOf("zh") === 0 ? "ZH" : "EN";
  var charts = [];

  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var option = JSON.parse(source.textContent);
    // ECharts' HTML tooltips carry style="" attributes, which the CSP refuses; rich text draws them
    // inside the chart instead.
    if (option.tooltip) {
      option.tooltip = Object.assign({ renderMode: "richText" }, option.tooltip);
    }
    // SVG stays sharp in print.
    var chart = window.echarts.init(element, null, { renderer: "svg", locale: locale });
    chart.setOption(option);
    charts.push(chart);
  });

  function resizeAll() {
    charts.forEach(function (chart) {
      chart.resize();
    });
  }

  // The print layout does not exist yet when "beforeprint" fires, so a chart cannot measure its printed
  // width: give it its share of the screen's width applied to an A4 page inside the @page margins of
  // app.css (186 mm portrait, 273 mm landscape, at 96 CSS px per inch).
  var A4_PORTRAIT = 700;
  var A4_LANDSCAPE = 1030;

  function fitToPaper() {
    var screenWidth = document.documentElement.clientWidth;
    charts.forEach(function (chart) {
      var element = chart.getDom();
      var paper = element.closest(".print-landscape") ? A4_LANDSCAPE : A4_PORTRAIT;
      var share = Math.min(1, element.clientWidth / screenWidth);
      chart.resize({ width: Math.floor(paper * share), animation: { duration: 0 } });
      // ECharts redraws on the next animation frame, which comes too late for the printout.
      var renderer = typeof chart.getZr === "function" ? chart.getZr() : null;
      if (renderer && typeof renderer.flush === "function") {
        renderer.flush();
      }
    });
  }

  window.addEventListener("resize", resizeAll);
  window.addEventListener("beforeprint", fitToPaper);
  window.addEventListener("afterprint", resizeAll);
})();

/* The dashboard's interactions on top of charts.js (load after it): units in tooltips, the committee
   comparison's figure selector, and drill-down from a bar or an axis label to that committee's dashboard.
   No inline scripts (CSP); every page works without this file, the selector then reloads the page. */
(function () {
  "use strict";

  if (typeof window.echarts === "undefined") {
    return;
  }

  function instance(element) {
    return window.echarts.getInstanceByDom(element);
  }

  function withUnit(unit) {
    return function (value) {
      if (value === null || value === undefined || value === "-") {
        return "–";
      }
      return unit ? value + " " + unit : String(value);
    };
  }

  document.querySelectorAll("[data-chart][data-chart-unit]").forEach(function (element) {
    var chart = instance(element);
    if (chart) {
      chart.setOption({ tooltip: { valueFormatter: withUnit(element.getAttribute("data-chart-unit")) } });
    }
  });

  document.querySelectorAll("[data-chart][data-compare]").forEach(function (element) {
    var chart = instance(element);
    var source = document.getElementById(element.getAttribute("data-compare"));
    if (!chart || !source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var select = document.querySelector("[data-compare-select]");
    element.setAttribute("data-chart-clickable", "");

    function show(code) {
      var metric = data.metrics[code];
      if (!metric) {
        return;
      }
      chart.setOption({
        tooltip: { valueFormatter: withUnit(metric.unit === "%" ? "%" : metric.unit) },
        yAxis: { name: metric.unit, minInterval: metric.whole ? 1 : 0 },
        series: [{ name: metric.label, data: metric.values }],
      });
      element.setAttribute("data-compare-shown", code);
    }

    function open(index) {
      var url = data.urls[index];
      if (url) {
        window.location.assign(url);
      }
    }

    chart.on("click", function (params) {
      if (params.componentType === "series") {
        open(params.dataIndex);
      } else if (params.componentType === "xAxis") {
        open(data.categories.indexOf(params.value));
      }
    });
    chart.setOption({ xAxis: { triggerEvent: true } });

    if (select) {
      show(select.value);
      select.addEventListener("change", function () {
        show(select.value);
        var url = new URL(window.location.href);
        url.searchParams.set("compare", select.value);
        window.history.replaceState(null, "", url.toString());
        document.querySelectorAll('input[type=hidden][name=compare]').forEach(function (input) {
          input.value = select.value;
        });
      });
      document.querySelectorAll("[data-compare-button]").forEach(function (button) {
        button.hidden = true;
      });
    }
  });

  // On paper every chart takes its data-print-share of the page's width (1 unless said; app.css @page margins:
  // 186 mm portrait, 273 mm landscape at 96 CSS px per inch), less the card's padding. Runs after charts.js's
  // own "beforeprint", which sizes charts from their share of the screen.
  var A4_PORTRAIT = 700;
  var A4_LANDSCAPE = 1030;
  var CARD_PADDING = 32;

  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var chart = instance(element);
      if (!chart) {
        return;
      }
      var paper = element.closest(".print-landscape") ? A4_LANDSCAPE : A4_PORTRAIT;
      var share = parseFloat(element.getAttribute("data-print-share") || "1");
      chart.resize({ width: Math.floor(paper * share) - CARD_PADDING, animation: { duration: 0 } });
      var renderer = typeof chart.getZr === "function" ? chart.getZr() : null;
      if (renderer && typeof renderer.flush === "function") {
        renderer.flush();
      }
    });
  });
})();

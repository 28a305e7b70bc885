/* bonemet case entry: progressive enhancement only; every page works without this file.
 * 1. Shows the limb (Mirels) or spine (SINS, ESCC) fields that fit the bone chosen.
 * 2. Live score preview: posts the form to /web/api/scores and redraws the score cards,
 *    building the DOM with textContent (never innerHTML), so no markup from input can run. */
(function () {
  "use strict";

  var form = document.getElementById("case-form");
  if (!form) {
    return;
  }
  var spineBones = (form.getAttribute("data-spine-bones") || "").split(" ");
  var limbBones = (form.getAttribute("data-limb-bones") || "").split(" ");
  var previewUrl = form.getAttribute("data-preview-url");

  function showGroupsFor(lesion) {
    var select = lesion.querySelector("[data-bone-select]");
    var bone = select ? select.value : "";
    lesion.querySelectorAll("fieldset.group").forEach(function (group) {
      var kind = group.getAttribute("data-group");
      var bones = kind === "spine" ? spineBones : limbBones;
      var show = bone === "" || bones.indexOf(bone) !== -1;
      group.hidden = !show;
      group.disabled = !show;
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  function scoreCard(view) {
    var card = el("section", "score-card " + (view.complete ? "score-complete" : "score-incomplete"));
    card.setAttribute("data-score", view.name);
    card.appendChild(el("h4", "score-title", view.title));
    var total = el("p", "score-total");
    total.appendChild(el("span", "total", view.total));
    if (view.band) {
      total.appendChild(document.createTextNode(" "));
      total.appendChild(el("span", "band", view.band));
    }
    card.appendChild(total);
    var table = el("table", "score-items");
    table.appendChild(el("caption", "visually-hidden", view.title + ": points per item"));
    var head = el("thead");
    var headRow = el("tr");
    [["Item", ""], ["Value", ""], ["Points", "num"]].forEach(function (h) {
      var th = el("th", h[1], h[0]);
      th.setAttribute("scope", "col");
      headRow.appendChild(th);
    });
    head.appendChild(headRow);
    table.appendChild(head);
    var body = el("tbody");
    view.items.forEach(function (item) {
      var row = el("tr", item.missing ? "missing" : "");
      var name = el("th", "", item.label);
      name.setAttribute("scope", "row");
      row.appendChild(name);
      row.appendChild(el("td", "", item.value));
      row.appendChild(el("td", "num", item.points));
      body.appendChild(row);
    });
    table.appendChild(body);
    card.appendChild(table);
    if (view.missing_items.length) {
      card.appendChild(el("p", "score-missing", "Needed to score: " + view.missing_items.join(", ")));
    }
    var more = el("details", "score-more");
    more.appendChild(el("summary", "", "Interpretation and source"));
    more.appendChild(el("p", "", view.interpretation));
    more.appendChild(el("p", "source", "Source: " + view.citation));
    card.appendChild(more);
    return card;
  }

  function render(data) {
    form.querySelectorAll("[data-score-preview]").forEach(function (box) {
      var key = box.getAttribute("data-score-preview");
      var views = key === "patient" ? data.patient : data.lesions[key] || [];
      var nodes = views.map(scoreCard);
      if (!nodes.length && key !== "patient") {
        nodes = [el("p", "hint", "Scores appear here when the bone is chosen.")];
      }
      box.replaceChildren.apply(box, nodes);
    });
  }

  var timer = null;
  var latest = 0;
  function refresh() {
    var request = ++latest;
    var body = new URLSearchParams(new FormData(form));
    fetch(previewUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && request === latest) {
          render(data);
          form.setAttribute("data-preview-updated", String(request));
        }
      })
      .catch(function () {
        /* The preview is a convenience; the assessment itself is computed on submit. */
      });
  }
  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  }

  form.querySelectorAll("fieldset.lesion").forEach(showGroupsFor);
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.hasAttribute && target.hasAttribute("data-bone-select")) {
      showGroupsFor(target.closest("fieldset.lesion"));
    }
    schedule();
  });
  form.addEventListener("input", schedule);
})();

// The body map input (chronology/_body_map_input.html): point at an outline, by mouse or
// keyboard, to place the mark being worked on, and add marks without a round trip.
// Everything also works without this script: the region list is the primary input and
// "Add another mark" is then a submit button.

const SVG = "http://www.w3.org/2000/svg";
const STEP = 2;
const BIG_STEP = 10;

document.querySelectorAll("[data-bodymap-input]").forEach(setUp);

function setUp(root) {
  const prefix = root.dataset.prefix;
  const max = Number(root.dataset.max);
  const total = root.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
  const list = root.querySelector("[data-bodymap-marks]");
  const template = root.querySelector("template[data-bodymap-empty]");
  const status = root.querySelector("[data-bodymap-status]");
  const addButton = root.querySelector("[data-bodymap-add]");
  const figures = [...root.querySelectorAll("svg[data-bodymap-side]")];
  let current = null;

  root.querySelector("[data-bodymap-js-hint]").hidden = false;
  list.addEventListener("focusin", (event) => choose(event.target.closest("[data-bodymap-mark]")));
  list.addEventListener("change", (event) => changed(event.target));
  addButton?.addEventListener("click", addMark);
  figures.forEach(setUpFigure);
  choose(marks().at(-1));
  draw();

  function marks() {
    return [...list.querySelectorAll("[data-bodymap-mark]")];
  }

  function field(mark, name) {
    return mark.querySelector(`[name$="-${name}"]`);
  }

  function numberOf(mark) {
    return marks().indexOf(mark) + 1;
  }

  function choose(mark) {
    if (!mark || mark === current) return;
    current?.classList.remove("jigsaw-bodymap__mark--current");
    current = mark;
    current.classList.add("jigsaw-bodymap__mark--current");
  }

  function announce(message) {
    status.textContent = message;
  }

  function setSide(mark, side) {
    mark.querySelectorAll('input[type="radio"][name$="-side"]').forEach((radio) => {
      radio.checked = radio.value === side;
    });
  }

  function changed(target) {
    if (target.matches("[data-bodymap-region]")) {
      const mark = target.closest("[data-bodymap-mark]");
      const option = target.selectedOptions[0];
      // A region chosen from the list goes at its centre, which the server fills in.
      field(mark, "x").value = "";
      field(mark, "y").value = "";
      if (option?.value) setSide(mark, option.parentElement.dataset.side);
    }
    draw();
  }

  function optionsFor(side) {
    const select = field(current ?? marks()[0], "region");
    return [...select.querySelectorAll(`optgroup[data-side="${side}"] option`)];
  }

  // Percentages of a viewBox twice as tall as it is wide: weigh y double to measure real distance.
  function nearest(side, x, y) {
    const distance = (option) => (option.dataset.x - x) ** 2 + (2 * (option.dataset.y - y)) ** 2;
    return optionsFor(side).reduce((best, option) => (distance(option) < distance(best) ? option : best));
  }

  function place(side, x, y) {
    if (!current) return;
    const option = nearest(side, x, y);
    setSide(current, side);
    field(current, "region").value = option.value;
    field(current, "x").value = x.toFixed(2);
    field(current, "y").value = y.toFixed(2);
    draw();
    announce(`Mark ${numberOf(current)}: ${option.textContent}`);
  }

  function setUpFigure(svg) {
    const side = svg.dataset.bodymapSide;
    const cursor = svg.querySelector("[data-bodymap-cursor]");
    const title = svg.querySelector("title").textContent;
    let x = 50;
    let y = 50;
    svg.setAttribute("tabindex", "0");
    svg.setAttribute("role", "application");
    svg.setAttribute(
      "aria-label",
      `${title} Use the arrow keys to move the pointer, then press Enter to put the mark you are working on there.`,
    );
    svg.classList.add("jigsaw-bodymap__outline--interactive");
    svg.addEventListener("click", (event) => {
      [x, y] = pointFrom(svg, event);
      moveCursor();
      place(side, x, y);
    });
    svg.addEventListener("focus", () => {
      cursor.setAttribute("visibility", "visible");
      moveCursor();
    });
    svg.addEventListener("blur", () => cursor.setAttribute("visibility", "hidden"));
    svg.addEventListener("keydown", (event) => {
      const step = event.shiftKey ? BIG_STEP : STEP;
      const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step / 2], ArrowDown: [0, step / 2] };
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        place(side, x, y);
      } else if (moves[event.key]) {
        event.preventDefault();
        x = clamp(x + moves[event.key][0]);
        y = clamp(y + moves[event.key][1]);
        moveCursor();
        announce(nearest(side, x, y).textContent);
      }
    });

    function moveCursor() {
      cursor.setAttribute("cx", x);
      cursor.setAttribute("cy", y * 2);
    }
  }

  function addMark(event) {
    event.preventDefault();
    const index = Number(total.value);
    if (index >= max) return;
    const html = template.innerHTML.replaceAll("__prefix__", index).replaceAll("__number__", index + 1);
    list.insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
    const mark = marks().at(-1);
    choose(mark);
    field(mark, "region").focus();
    // GOV.UK buttons set their own display, which overrides the hidden attribute.
    addButton.classList.toggle("govuk-!-display-none", index + 1 >= max);
    announce(index + 1 >= max ? `Mark ${index + 1} added. This is the last mark you can add.` : `Mark ${index + 1} added`);
  }

  function draw() {
    figures.forEach((svg) => svg.querySelector("[data-bodymap-dots]").replaceChildren());
    marks().forEach((mark, index) => {
      const option = field(mark, "region").selectedOptions[0];
      if (!option?.value) return;
      const x = percentage(field(mark, "x").value) ?? Number(option.dataset.x);
      const y = percentage(field(mark, "y").value) ?? Number(option.dataset.y);
      const svg = figures.find((figure) => figure.dataset.bodymapSide === option.parentElement.dataset.side);
      svg?.querySelector("[data-bodymap-dots]").append(dot(x, y, index + 1));
    });
  }
}

function pointFrom(svg, event) {
  const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(svg.getScreenCTM().inverse());
  return [clamp(point.x), clamp(point.y / 2)];
}

function clamp(value) {
  return Math.min(100, Math.max(0, value));
}

function percentage(text) {
  const value = Number.parseFloat(text);
  return Number.isFinite(value) && value >= 0 && value <= 100 ? value : null;
}

function dot(x, y, number) {
  const group = document.createElementNS(SVG, "g");
  group.setAttribute("aria-hidden", "true");
  const circle = document.createElementNS(SVG, "circle");
  const attributes = { cx: x, cy: y * 2, r: 3.6, fill: "#d4351c", stroke: "#ffffff", "stroke-width": 0.6 };
  Object.entries(attributes).forEach(([name, value]) => circle.setAttribute(name, value));
  const label = document.createElementNS(SVG, "text");
  const textAttributes = {
    x, y: y * 2 + 1.6, "font-family": "arial, sans-serif", "font-size": 4.4, "font-weight": "bold",
    "text-anchor": "middle", fill: "#ffffff",
  };
  Object.entries(textAttributes).forEach(([name, value]) => label.setAttribute(name, value));
  label.textContent = String(number);
  group.append(circle, label);
  return group;
}

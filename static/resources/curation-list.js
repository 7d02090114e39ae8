// Reordering a curated list swaps the whole list (htmx), and the button that was pressed is
// replaced by a new one: without this the keyboard focus would fall back to the top of the
// page. Remember the pressed button's id and put focus back on the same item's button after
// the swap (its other arrow when the item has reached an end of the list).
(function () {
  "use strict";

  var pressedId = null;

  document.addEventListener(
    "submit",
    function (event) {
      var button = event.submitter;
      pressedId = button && button.dataset.keepFocus !== undefined ? button.id : null;
    },
    true
  );

  document.addEventListener("htmx:afterSettle", function () {
    if (!pressedId) {
      return;
    }
    var button = document.getElementById(pressedId);
    pressedId = null;
    if (button && button.disabled) {
      button = document.getElementById(button.dataset.otherWay);
    }
    if (button && !button.disabled) {
      button.focus();
    }
  });
})();

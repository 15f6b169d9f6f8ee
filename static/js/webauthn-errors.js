// allauth's passkey buttons report a failure (the prompt closed, no passkey on this device)
// as an "allauth.error" event, and only in the console unless someone handles it: say it on
// the page, where the person who pressed the button can read it.
document.addEventListener("allauth.error", function (event) {
  event.preventDefault();
  const main = document.querySelector("main");
  let box = document.getElementById("webauthn-error");
  if (!box) {
    box = document.createElement("p");
    box.id = "webauthn-error";
    box.className = "message error";
    box.setAttribute("role", "alert");
    main.prepend(box);
  }
  const closed = event.detail.exception && event.detail.exception.name === "NotAllowedError";
  box.textContent = closed
    ? "The passkey prompt was closed or timed out. Try again, or choose another way."
    : "This browser could not use a passkey here. Try again, or choose another way.";
});

// daihoi: the delegate's phone home. Keeps what is open (ballots, motions), the current item, the
// speaker and the delegate's own requests fresh as the congress moves on (the live state says something
// changed; the page is refetched). The `open` section lists only which votes are open, so another
// delegate's ballot does not refetch every phone.
(function () {
  "use strict";
  var region = document.querySelector('[data-live-region="me"]');
  if (!region || !window.DaihoiHallPage) return;
  DaihoiHallPage.watch({
    slug: region.getAttribute("data-slug"),
    region: "me",
    section: "speaker",
    also: ["agenda", "open"],
    // A hall full of phones should not refetch in the same instant.
    jitter: 1500
  });
})();

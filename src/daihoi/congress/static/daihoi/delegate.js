// daihoi: the delegate's phone page. Keeps the current item, the speaker and the delegate's own
// requests fresh as the congress moves on (the live state says something changed; the page is refetched).
(function () {
  "use strict";
  var region = document.querySelector('[data-live-region="me"]');
  if (!region || !window.DaihoiHallPage) return;
  DaihoiHallPage.watch({
    slug: region.getAttribute("data-slug"),
    region: "me",
    section: "speaker",
    also: "agenda",
    // A hall full of phones should not refetch in the same instant.
    jitter: 1500
  });
})();

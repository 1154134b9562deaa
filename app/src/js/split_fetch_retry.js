// Retries a failed fetch of a split file: see app::SPLIT_FETCH_RETRY.
(function () {
  var browserFetch = window.fetch.bind(window);
  var retries = 3;
  function splitFile(input) {
    var url = typeof input === "string" ? input : input instanceof URL ? input.href : null;
    return url !== null && new URL(url, window.location.href).pathname.indexOf("/pkg/") === 0;
  }
  function wait(ms) {
    return new Promise(function (done) {
      setTimeout(done, ms);
    });
  }
  function retrying(input, retry) {
    function again() {
      return wait(250 * Math.pow(2, retry)).then(function () {
        return retrying(input, retry + 1);
      });
    }
    return browserFetch(input).then(
      function (response) {
        return response.ok || retry === retries ? response : again();
      },
      function (error) {
        if (retry === retries) throw error;
        return again();
      },
    );
  }
  window.fetch = function (input, init) {
    return init === undefined && splitFile(input) ? retrying(input, 0) : browserFetch(input, init);
  };
})();

// cruxmap web app: uploads and re-analysis through the JSON API, with status polling.
// Server text is only ever inserted with textContent (never innerHTML).
"use strict";
(function () {
  function say(el, text, isError) {
    el.textContent = text;
    el.classList.toggle("error", !!isError);
  }
  async function call(url, options) {
    const response = await fetch(url, Object.assign({ credentials: "same-origin" }, options));
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok) {
      const detail = body && body.detail;
      throw new Error(typeof detail === "string" ? detail : "request failed (" + response.status + ")");
    }
    return body;
  }
  function listUploads(items) {
    const list = document.getElementById("uploads");
    if (!list) return;
    list.replaceChildren();
    for (const item of items) {
      const li = document.createElement("li");
      li.textContent = item.name + " ";
      const meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = item.bytes + " bytes";
      li.appendChild(meta);
      list.appendChild(li);
    }
  }
  function showJob(out, job) {
    out.replaceChildren();
    out.classList.toggle("error", job.state === "failed");
    out.append("Job " + job.state + (job.progress ? " (" + job.progress + ")" : ""));
    if (job.new_run_id) {
      out.append(" → ");
      const a = document.createElement("a");
      a.href = "/runs/" + encodeURIComponent(job.new_run_id);
      a.textContent = "open the new run " + job.new_run_id;
      out.appendChild(a);
    }
    if (job.error) out.append(": " + job.error);
  }
  async function poll(out, jobId) {
    for (;;) {
      const job = await call("/api/jobs/" + encodeURIComponent(jobId));
      showJob(out, job);
      if (job.state === "done" || job.state === "failed") return;
      await new Promise(function (resolve) { setTimeout(resolve, 1500); });
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    const upload = document.getElementById("upload-form");
    if (upload) {
      upload.addEventListener("submit", async function (event) {
        event.preventDefault();
        const out = document.getElementById("upload-status");
        say(out, "Uploading…");
        try {
          const body = await call(upload.action, { method: "POST", body: new FormData(upload) });
          say(out, "Saved " + body.saved.map(function (f) { return f.name; }).join(", ") + ". Re-analyse to add them to the map.");
          listUploads(body.uploads);
          upload.reset();
        } catch (err) { say(out, err.message, true); }
      });
    }
    const reanalyze = document.getElementById("reanalyze-form");
    if (reanalyze) {
      reanalyze.addEventListener("submit", async function (event) {
        event.preventDefault();
        const out = document.getElementById("job-status");
        say(out, "Starting…");
        try {
          const job = await call(reanalyze.action, { method: "POST" });
          await poll(out, job.id);
        } catch (err) { say(out, err.message, true); }
      });
    }
  });
})();

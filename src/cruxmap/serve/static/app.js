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
  function fields(form) {
    const out = {};
    for (const [key, value] of new FormData(form).entries()) if (value !== "") out[key] = value;
    return out;
  }
  async function correct(form, body) {
    const out = document.getElementById("correct-status");
    const base = document.getElementById("correct-form");
    say(out, "Correcting…");
    try {
      const answer = await call(form.action, {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify(Object.assign(fields(base), body)),
      });
      say(out, "Run " + answer.run_id + " recorded in " + answer.seconds + " s: " +
          (answer.changes.length ? answer.changes.join("; ") : "no position changed"));
      window.location.assign("/runs/" + encodeURIComponent(answer.run_id) + "/correct");
    } catch (err) { say(out, err.message, true); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    const correctForm = document.getElementById("correct-form");
    if (correctForm) {
      correctForm.addEventListener("submit", function (event) { event.preventDefault(); });
      for (const select of document.querySelectorAll("select[data-correct]")) {
        select.addEventListener("change", function () {
          correct(correctForm, { kind: select.dataset.correct, source: select.dataset.source,
                                 hypothesis: select.dataset.hypothesis, value: select.value });
        });
      }
    }
    const other = document.getElementById("correct-other");
    if (other) {
      other.addEventListener("submit", function (event) {
        event.preventDefault();
        correct(other, fields(other));
      });
    }
    for (const button of document.querySelectorAll("button[data-delete-correction]")) {
      button.addEventListener("click", async function () {
        try {
          await call("/api/corrections/" + encodeURIComponent(button.dataset.deleteCorrection), { method: "DELETE" });
          button.closest("li").remove();
        } catch (err) { say(document.getElementById("correct-status"), err.message, true); }
      });
    }
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

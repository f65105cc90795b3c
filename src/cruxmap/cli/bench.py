"""``cruxmap bench``: the quality and speed benchmarks, printed as tables and optionally written as JSON (each row
stamped with the cruxmap version, commit and date: ``bench.results``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..bench.results import write_result
from ..errors import ConfigError
from .common import console, settings, state

bench_app = typer.Typer(no_args_is_help=True, help="Quality and speed benchmarks.")


@bench_app.command("quality")
def bench_quality(
    task: Annotated[str, typer.Option(help="quotes, dates, stance, claims, keypoints, source-stance, probes, map, corrections")],
    split: Annotated[str, typer.Option(help="dev (tuning) or test (report once)")] = "dev",
    stance: Annotated[str | None, typer.Option(help="stance backend to evaluate")] = None,
    limit: Annotated[int | None, typer.Option(help="evaluate at most N items per dataset (quick check)", min=1)] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="also write the rows as JSON")] = None,
) -> None:
    """Print one table: task, dataset, split, metric, ours, best published."""
    from ..bench import run_quality

    rows = run_quality(task, split, settings(**{"stance.backend": stance}), stance=stance, limit=limit)
    table = Table(title=f"cruxmap bench quality — {task} ({split})")
    for col in ("task", "dataset", "split", "metric", "ours", "best published", "note"):
        table.add_column(col, overflow="fold")
    for r in rows:
        ours = "—" if r.value is None else f"{r.value:.4g}"
        table.add_row(r.task, r.dataset, r.split, r.metric, ours, r.published_best or "—", r.note or "")
    console.print(table)
    if json_out:
        write_result(json_out, [r.model_dump(exclude={"note"}) for r in rows])


@bench_app.command("fuzz")
def bench_fuzz(
    count: Annotated[int, typer.Option(help="mutated documents to run", min=1)] = 5000,
    seed: Annotated[int, typer.Option(help="random seed (the same seed gives the same documents)")] = 0,
    budget: Annotated[float, typer.Option(help="seconds one document may take", min=0.1)] = 10.0,
    annotate: Annotated[int, typer.Option(help="how many of them also go through the annotate stages", min=0)] = 200,
    json_out: Annotated[Path | None, typer.Option("--json", help="also write the result as JSON")] = None,
) -> None:
    """Mutated articles through ingest, cleaning and annotation: crashes, broken offsets, documents over budget."""
    import dataclasses

    from ..bench.fuzz import run_fuzz

    report = run_fuzz(count=count, seed=seed, budget=budget, annotate=annotate)
    if json_out:
        record = {"count": count, "seed": seed, "budget_s": budget, "annotated": annotate,
                  **dataclasses.asdict(report), "seconds": round(report.seconds, 1), "slowest": round(report.slowest, 3)}
        write_result(json_out, record)
    console.print(f"{report.documents} documents ({report.refused} refused with a message) in {report.seconds:.1f} s; "
                  f"slowest {report.slowest:.2f} s; crashes {len(report.crashes)}, offset errors "
                  f"{len(report.offset_errors)}, over budget {len(report.over_budget)}", highlight=False)
    for line in (report.crashes + report.offset_errors + report.over_budget)[:20]:
        console.print(f"  {line}", highlight=False, markup=False)
    if not report.ok:
        raise typer.Exit(1)


@bench_app.command("speed")
def bench_speed(
    limit: Annotated[int, typer.Option(help="articles to analyse", min=1)] = 200,
    corpus: Annotated[Path | None, typer.Option(help="corpus (default: ../shared/data news_article_bias)")] = None,
    question: Annotated[Path | None, typer.Option(help="question file, so stance is timed too")] = None,
    sizes: Annotated[str | None, typer.Option(help="comma-separated sizes, e.g. 100,1000,5000: growth curve")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the record(s) as JSON")] = None,
    ray: Annotated[bool, typer.Option("--ray", help="also run the Ray engine on the same articles (pip install "
                                      "'cruxmap\\[ray]') and show both engines' articles/s")] = False,
) -> None:
    """Time every stage on a real corpus; compare with the raw embedding throughput."""
    from ..bench.speed import corpus_path, engines_side_by_side, measure, measure_in_subprocess, measure_ray

    if ray:
        if sizes:
            raise ConfigError("--ray compares the engines at one size", fix="give --limit N instead of --sizes")
        from .. import api

        api.require_engine("ray")  # before any work: a missing extra is reported at once
    s = settings()
    path = corpus_path(s, str(corpus) if corpus else None)
    if sizes:
        records = [measure_in_subprocess(path, int(n), str(question) if question else None, config=state.config)
                   for n in sizes.split(",")]
        table = Table(title="cruxmap bench speed — growth with corpus size")
        for col in ("articles", "sentences", "seconds", "articles/s", "sentences/s", "peak RSS MB", "peak PSS MB"):
            table.add_column(col, justify="right")
        for r in records:
            table.add_row(str(r["articles"]), str(r["sentences"]), f"{r['seconds']:.1f}", f"{r['articles_per_s']:.2f}",
                          f"{r['sentences_per_s']:.1f}", f"{r['peak_rss_mb']:.0f}",
                          f"{r['peak_pss_mb']:.0f}" if r.get("peak_pss_mb") else "—")
        console.print(table)
        for r in records:
            if r.get("peak_rss_by_phase_mb"):
                console.print(f"{r['articles']} articles, peak RSS by step (MB): {_phase_memory(r)}")
            _print_failed_inputs(r)
        if json_out:
            write_result(json_out, records)
        return
    record = measure(s, path, limit, str(question) if question else None)
    _print_speed(record)
    if ray:
        record["engines"] = engines_side_by_side(record, measure_ray(s, path, limit, str(question) if question else None))
        _print_engines(record["engines"])
    if json_out:
        write_result(json_out, record)


@bench_app.command("correction")
def bench_correction(
    limit: Annotated[int, typer.Option(help="articles to analyse", min=1)] = 200,
    question: Annotated[Path, typer.Option(help="question file (corrections are about its items)")] = Path(
        "examples/nato/question.yaml"),
    corpus: Annotated[Path | None, typer.Option(help="corpus (default: ../shared/data news_article_bias)")] = None,
    corrections: Annotated[int, typer.Option(help="corrections to time", min=2)] = 5,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the record as JSON")] = None,
) -> None:
    """Time how long the map takes to follow one correction made through the web API."""
    from ..bench.correction_speed import measure_correction
    from ..bench.speed import corpus_path

    s = settings()
    record = measure_correction(s, corpus_path(s, str(corpus) if corpus else None), limit, str(question), corrections)
    console.print(f"{record['articles']} articles, {record['claims']} claims (analysed in {record['analysis_seconds']} s): "
                  f"first correction {record['first_seconds']:.2f} s (loads the embedder), then median "
                  f"{record['median_seconds']:.2f} s, max {record['max_seconds']:.2f} s per correction")
    if json_out:
        write_result(json_out, record)


@bench_app.command("serve")
def bench_serve(
    limit: Annotated[int, typer.Option(help="articles to analyse into a throw-away store", min=1)] = 200,
    question: Annotated[Path, typer.Option(help="question file for that run")] = Path("examples/nato/question.yaml"),
    corpus: Annotated[Path | None, typer.Option(help="corpus (default: ../shared/data news_article_bias)")] = None,
    requests: Annotated[int, typer.Option(help="GET requests to send", min=1)] = 2000,
    concurrency: Annotated[int, typer.Option(help="requests in flight at once", min=1)] = 20,
    use_db: Annotated[bool, typer.Option("--use-db", help="serve the store given with --db (its newest run) "
                                         "instead of analysing a corpus")] = False,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the record as JSON")] = None,
) -> None:
    """Many readers at once: p50/p95/p99 latency per page of `cruxmap serve`, errors and requests/s."""
    from ..bench.serve_load import measure_serve
    from ..bench.speed import corpus_path

    s = settings()
    path = None if use_db else corpus_path(s, str(corpus) if corpus else None)
    record = measure_serve(s, path, limit, str(question), requests, concurrency, db=s.db if use_db else None)
    table = Table(title=f"cruxmap bench serve — {record['articles']} articles, {requests} requests, "
                        f"{concurrency} at once")
    for col in ("page", "requests", "p50 ms", "p95 ms", "p99 ms"):
        table.add_column(col, justify="right")
    for name, r in [*record["pages"].items(), ("all", record["overall"])]:
        table.add_row(name, str(r["requests"]), f"{r['p50_ms']:.0f}", f"{r['p95_ms']:.0f}", f"{r['p99_ms']:.0f}")
    console.print(table)
    kinds = "; ".join(f"{page}: {', '.join(k)}" for page, k in record["error_kinds"].items())
    rss = record["server_rss_mb"]
    console.print(f"{record['errors']} errors{f' ({kinds})' if kinds else ''}; {record['requests_per_s']} requests/s; "
                  f"server RSS {rss['started']:.0f} MB, warm {rss['warm']:.0f} MB, peak {rss['peak']:.0f} MB "
                  f"(+{rss['growth']:.0f} under load); first answers (ms): "
                  + ", ".join(f"{k} {v:.0f}" for k, v in record["first_answer_ms"].items()))
    if json_out:
        write_result(json_out, record)


@bench_app.command("cluster")
def bench_cluster(
    sizes: Annotated[str, typer.Option(help="comma-separated claim counts")] = "5000,10000,20000,40000",
    corpus: Annotated[Path | None, typer.Option(help="corpus (default: ../shared/data news_article_bias)")] = None,
    bertopic: Annotated[bool, typer.Option(help="also time BERTopic on the same vectors (if installed)")] = True,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the rows as JSON")] = None,
) -> None:
    """How key-point clustering time grows with the number of claims (news sentences stand in)."""
    from .. import api
    from ..bench.cluster_speed import measure_cluster_scaling
    from ..bench.speed import corpus_path

    s = settings()
    path = corpus_path(s, str(corpus) if corpus else None)
    with api.open_store(s) as store:
        embedder = api.run_embedder(s, store, run_threads=False)  # torch threads as they are: the embedder alone
        rows = measure_cluster_scaling(embedder, path, [int(n) for n in sizes.split(",")], bertopic)
    table = Table(title="cruxmap bench cluster — key-point clustering vs number of claims")
    for col in ("claims", "seconds", "clusters", "time/(n log n) vs smallest", "BERTopic s", "BERTopic topics"):
        table.add_column(col, justify="right")
    for r in rows:
        table.add_row(str(r["claims"]), f"{r['seconds']:.2f}", str(r["clusters"]),
                      f"{r['cost_per_nlogn_vs_smallest']:.2f}",
                      "—" if r["bertopic_seconds"] is None else f"{r['bertopic_seconds']:.2f}",
                      "—" if r["bertopic_topics"] is None else str(r["bertopic_topics"]))
    console.print(table)
    if json_out:
        write_result(json_out, rows)


def _print_speed(r: dict) -> None:
    table = Table(title=f"cruxmap bench speed — {r['articles']} articles, {r['sentences']} sentences")
    for col in ("stage", "seconds", "share", "articles/s"):
        table.add_column(col, justify="right")
    for name, st in r["stages"].items():
        table.add_row(name, f"{st['seconds']:.2f}", f"{(st['share'] or 0):.1%}", f"{st['articles_per_s'] or 0:.1f}")
    table.add_row("[bold]end to end", f"{r['seconds']:.2f}", "100%", f"{r['articles_per_s']:.2f}")
    console.print(table)
    raw = r["embed_raw_sentences_per_s"]
    console.print(f"sentences/s: pipeline {r['sentences_per_s']}, raw embedding {raw or '—'}"
                  + (f" (ratio {r['pipeline_to_raw_ratio']:.2f})" if r["pipeline_to_raw_ratio"] else "")
                  + f"; peak RSS {r['peak_rss_mb']:.0f} MB"
                  + (f" (PSS, shared library pages counted once: {r['peak_pss_mb']:.0f} MB)" if r.get("peak_pss_mb")
                     else ""))
    if r.get("peak_rss_by_phase_mb"):
        console.print(f"peak RSS by step (MB): {_phase_memory(r)}")
    _print_failed_inputs(r)


def _print_failed_inputs(r: dict) -> None:
    """One line per input the run left out (``failed_inputs``): where it failed, the error and the message."""
    for f in r.get("failed_inputs") or []:
        console.print(f"failed: {f['path']} ({f['stage']}, {f['error']}): {f['message']}", highlight=False,
                      markup=False, soft_wrap=True)


def _print_engines(engines: dict) -> None:
    local, on_ray = engines["in_process"], engines["ray"]
    table = Table(title=f"engines side by side — {local['articles']} articles, {on_ray['cpus']} CPUs for Ray")
    for col in ("engine", "seconds", "articles/s", "vs in-process"):
        table.add_column(col, justify="right")
    table.add_row("in-process", f"{local['seconds']:.1f}", f"{local['articles_per_s']:.2f}", "1.00")
    ratio = engines["ray_to_in_process"]
    table.add_row("ray", f"{on_ray['seconds']:.1f}", f"{on_ray['articles_per_s']:.2f}", f"{ratio:.2f}" if ratio else "—")
    table.add_row("ray, with its start", f"{on_ray['seconds'] + on_ray['ray_init_s']:.1f}",
                  f"{on_ray['articles_per_s_with_init']:.2f}", "")
    console.print(table)


def _phase_memory(r: dict) -> str:
    """``chunks 2477 (main 1700 + worker 777), corpus 1848, …``: the worker only where it ran."""
    split = r.get("peak_rss_by_phase_split_mb") or {}
    parts = []
    for name, mb in r["peak_rss_by_phase_mb"].items():
        main_worker = split.get(name)
        detail = (f" (main {main_worker['main']:.0f} + worker {main_worker['worker']:.0f})"
                  if main_worker and main_worker["worker"] >= 1 else "")
        parts.append(f"{name} {mb:.0f}{detail}")
    return ", ".join(parts)

"""Command line: ``extractor run`` (batch extraction), ``extractor profile`` (per-user profiles) and
``extractor explain`` (the decision trail for one text or one input record).

Exit status: 0 when the run completed (bad records are results, not failures), 1 when the run
itself failed (unreadable input, unwritable output, bad options or configuration), 130 when it was
interrupted (the output can then be continued with ``--resume``), 2 for command-line usage errors.
"""

from __future__ import annotations

import json
import signal
import sys
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import Annotated, Any, NoReturn

import typer

from extractor.batch.errors import BatchError

app = typer.Typer(
    name="extractor",
    help="Extract advertising interest signals from chat transcripts, keeping protected attributes out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_FAILED = 1
EXIT_INTERRUPTED = 130


class EngineChoice(StrEnum):
    local = "local"
    ray = "ray"


class FormatChoice(StrEnum):
    jsonl = "jsonl"
    jsonl_gz = "jsonl.gz"
    parquet = "parquet"


class LogLevel(StrEnum):
    debug = "debug"
    info = "info"
    warning = "warning"
    error = "error"


@app.callback()
def _configure(
    log_level: Annotated[LogLevel, typer.Option("--log-level", help="Logging level (logs never contain text).")] = (
        LogLevel.warning
    ),
) -> None:
    """Extract advertising interest signals from chat transcripts, keeping protected attributes out."""
    import logging

    logging.basicConfig(level=log_level.value.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _fail(message: str, code: int = EXIT_FAILED) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def load_config(path: Path) -> dict[str, Any]:
    """``ExtractorConfig`` fields from a JSON or YAML file, validated."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BatchError(f"cannot read config {path}: {exc.strerror or exc}") from None
    try:
        if path.suffix.lower() in {".yaml", ".yml"}:
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except Exception as exc:  # yaml.YAMLError, json.JSONDecodeError
        raise BatchError(f"config {path} is not valid {path.suffix.lstrip('.').upper() or 'JSON'}: {exc}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BatchError(f"config {path} must hold a mapping of ExtractorConfig fields")
    from pydantic import ValidationError

    from extractor.config import ExtractorConfig

    try:
        ExtractorConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in exc.errors())
        raise BatchError(f"config {path} is invalid: {problems}") from None
    return data


def _summary(summary: Any) -> str:
    statuses = ", ".join(f"{k} {v:,}" for k, v in sorted(summary.statuses.items()))
    text = (
        f"{summary.total:,} records in {summary.output} ({statuses or 'none'}); "
        f"{summary.processed:,} processed in {summary.seconds:.1f} s ({summary.rate:,.1f} records/s)"
    )
    if summary.resumed_from:
        text += f", resumed after {summary.resumed_from:,}"
    return text


@app.command()
def run(
    input: Annotated[str, typer.Argument(help="Transcripts: .jsonl, .jsonl.gz or .parquet file, or a directory.")],
    output: Annotated[str, typer.Option("--output", "-o", help="Results file (.jsonl, .jsonl.gz, .parquet).")],
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Worker processes (Ray: actors).")] = 1,
    batch_size: Annotated[int, typer.Option(min=1, help="Records per extractor batch.")] = 64,
    resume: Annotated[bool, typer.Option(help="Continue an interrupted run into the same output.")] = False,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing output.")] = False,
    audit: Annotated[
        Path | None, typer.Option(help='Write aggregate counts (no ids; counts below 10 as "<10") as JSON.')
    ] = None,
    config: Annotated[Path | None, typer.Option(help="ExtractorConfig fields, JSON or YAML.")] = None,
    engine: Annotated[EngineChoice, typer.Option(help="local processes, or Ray Data.")] = EngineChoice.local,
    ray_address: Annotated[str | None, typer.Option(help="Join this Ray cluster (default: start a local Ray).")] = None,
    ray_cpus: Annotated[int | None, typer.Option(min=1, help="CPUs of the local Ray (default: all).")] = None,
    ray_cpus_per_worker: Annotated[float, typer.Option(min=0.01, help="CPUs reserved per Ray actor.")] = 1.0,
    checkpoint_every: Annotated[int, typer.Option(min=1, help="Records between durable checkpoints.")] = 1000,
    json_column: Annotated[str | None, typer.Option(help="Parquet input: column with one JSON record per row.")] = None,
    output_format: Annotated[
        FormatChoice | None, typer.Option(help="Format of a directory output (Ray), if its name does not say.")
    ] = None,
    factory: Annotated[
        str | None, typer.Option(help="Advanced: module:callable returning an object with Extractor.pipe.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
) -> None:
    """Run the extractor over a file of transcripts: one result per input record, in input order."""
    from extractor.batch.runner import Interrupted, RunOptions, run_batch
    from extractor.batch.worker import DefaultExtractorFactory, load_factory

    if sys.platform != "win32" and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        if factory and config:
            raise BatchError("--config and --factory cannot be combined")
        make = load_factory(factory) if factory else DefaultExtractorFactory(load_config(config) if config else None)
        options = RunOptions(
            input=input,
            output=output,
            workers=workers,
            batch_size=batch_size,
            resume=resume,
            overwrite=overwrite,
            audit=str(audit) if audit else None,
            checkpoint_every=checkpoint_every,
            progress=not quiet,
            json_column=json_column,
            engine=engine.value,
            ray_address=ray_address,
            ray_cpus=ray_cpus,
            ray_cpus_per_worker=ray_cpus_per_worker,
            output_format=output_format.value if output_format else None,
        )
        summary = run_batch(options, make)
    except Interrupted as exc:
        _fail(str(exc), EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        _fail("interrupted", EXIT_INTERRUPTED)
    except BatchError as exc:
        _fail(str(exc))
    if not quiet:
        typer.echo(_summary(summary), err=True)


def _parse_now(value: str | None) -> float | None:
    if value is None:
        return None
    from extractor.batch.profile import parse_time

    when = parse_time(value)
    if when is None:
        raise BatchError(f"--now must be ISO 8601 or epoch seconds, got {value!r}")
    return when


@app.command()
def profile(
    results: Annotated[str, typer.Argument(help="Results of `extractor run` (file or directory).")],
    output: Annotated[str, typer.Option("--output", "-o", help="Profiles, JSON Lines (.jsonl or .jsonl.gz).")],
    top_k: Annotated[int, typer.Option(min=1, help="Interests kept per user.")] = 5,
    half_life_days: Annotated[float, typer.Option(min=0.001, help="Days after which a score counts half.")] = 7.0,
    min_conversations: Annotated[int, typer.Option(min=1, help="Conversations an interest needs.")] = 2,
    now: Annotated[
        str | None, typer.Option(help="Reference time, ISO 8601 or epoch seconds (default: latest in results).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary.")] = False,
) -> None:
    """Aggregate results per user_id into time-decayed top-k interest profiles."""
    from extractor.batch.profile import ProfileOptions, build_profiles

    try:
        if not output.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")):
            raise BatchError("profiles are written as JSON Lines: name the output .jsonl or .jsonl.gz")
        options = ProfileOptions(
            top_k=top_k, half_life_days=half_life_days, min_conversations=min_conversations, now=_parse_now(now)
        )
        stats = build_profiles(results, output, options)
    except BatchError as exc:
        _fail(str(exc))
    if not quiet:
        typer.echo(
            f"{stats.profiles:,} profiles from {stats.used:,} conversations ({stats.records:,} records read); "
            f"{stats.users_excluded:,} users excluded, {stats.users_without_profile:,} without a qualifying interest",
            err=True,
        )


@app.command()
def explain(
    text: Annotated[str | None, typer.Argument(help="One user message to analyse.")] = None,
    records: Annotated[
        str | None,
        typer.Option(
            "--records",
            help="An input as `run` reads it (JSONL, gzipped JSONL, Parquet; file, folder or URI); see --id.",
        ),
    ] = None,
    record_id: Annotated[str | None, typer.Option("--id", help="The id of the record in --records.")] = None,
    json_column: Annotated[str | None, typer.Option(help="Parquet input: column with one JSON record per row.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the decision trail as JSON.")] = False,
) -> None:
    """Show, for one text or one record, what each segment triggered and why each interest was kept or dropped.

    This is a developer tool for text you type yourself or a record under review: unlike batch output,
    it names the protected categories it saw, so that a reviewer can check the gate's reasoning.
    """
    from rich.console import Console
    from rich.table import Table

    from extractor import Extractor, RecordError

    target: str | dict[str, Any]
    if text is not None and records is None:
        target = text
    elif text is None and records is not None and record_id is not None:
        target = _find_record(records, record_id, json_column)
    else:
        _fail("give either a TEXT or --records FILE --id ID", 2)
    try:
        result, segments, trail = Extractor().explain(target)
    except RecordError as err:
        _fail(f"{err} ({err.code})")
    if as_json:
        payload = {
            "result": result.to_dict(),
            "segments": [
                {
                    "text": s.text,
                    "stance": s.stance,
                    "language_supported": s.supported,
                    "protected": sorted(s.protected),
                    "protected_by": sorted(set(s.protected_sources)),
                    "head_verdicts_without_support": sorted(s.protected_unsupported),
                    "withheld_for": sorted(s.protected_withheld),
                    "head_verdicts_not_backed_by_words": sorted(s.protected_unbacked),
                    "head_verdicts_below_category_margin": sorted(s.protected_below_category_margin),
                    "interests": {k: round(v, 4) for k, v in sorted(s.interests.items())},
                    "purchase": round(s.purchase, 4),
                }
                for s in segments
            ],
            "decisions": [d.__dict__ for d in trail],
        }
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    console = Console()
    seg_table = Table(title="Segments", show_lines=True)
    for col in ("segment", "stance", "language ok", "protected", "purchase"):
        seg_table.add_column(col)
    for s in segments:
        seg_table.add_row(
            s.text, s.stance, "yes" if s.supported else "no", ", ".join(sorted(s.protected)) or "-", f"{s.purchase:.2f}"
        )
    console.print(seg_table)
    dec_table = Table(title="Decisions")
    for col in ("turn", "interest", "score", "kept", "why"):
        dec_table.add_column(col)
    for d in trail:
        dec_table.add_row(str(d.turn), d.node, f"{d.score:.3f}", "kept" if d.kept else "dropped", d.reason)
    console.print(dec_table)
    out = Table(title="Output interests")
    for col in ("interest", "path", "ad categories", "intent", "score", "evidence"):
        out.add_column(col)
    for i in result.interests:
        out.add_row(
            i.name,
            " > ".join(i.path),
            ", ".join(i.ad_categories),
            i.intent,
            f"{i.score:.3f}",
            " | ".join(e.text for e in i.evidence),
        )
    console.print(out)


def _find_record(spec: str, record_id: str, json_column: str | None) -> dict[str, Any]:
    """The first record whose id is ``record_id`` in a batch input (any format ``run`` reads).

    Lines that are not JSON objects and rows rejected while reading are skipped: they have no id.
    """
    from extractor.batch.sources import record_objects, resolve_inputs

    try:
        for record in record_objects(resolve_inputs(spec, json_column=json_column)):
            if record is not None and str(record.get("id")) == record_id:
                return record
    except BatchError as exc:
        _fail(str(exc))
    _fail(f"no record with id {record_id!r} in {spec}")


def main() -> None:
    app(prog_name="extractor")


if __name__ == "__main__":
    main()

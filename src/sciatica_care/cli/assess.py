"""``sciatica-care assess``: from answers (a JSON file, stdin or the questionnaire) to output.

The non-interactive path imports only the domain core, the knowledge base and the plain-text
renderer; rich is imported only when the questionnaire runs, Babel only when the answer is
not in English (``--lang``).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from sciatica_care.cli.errors import fail
from sciatica_care.cli.language import current, gettext_of

if TYPE_CHECKING:
    from sciatica_care.domain.assessment import Assessment
    from sciatica_care.domain.kb import KnowledgeBase
    from sciatica_care.domain.result import Result


def knowledge_base_or_fail() -> KnowledgeBase:
    """The knowledge base in the chosen language (its clinical texts translated)."""
    from sciatica_care.knowledge.loader import KnowledgeBaseError, knowledge_base

    _ = gettext_of()
    try:
        return knowledge_base(current())
    except KnowledgeBaseError as exc:
        fail(_("knowledge base: %(problem)s") % {"problem": exc}, code=1)


def _read(source: str) -> Any:
    _ = gettext_of()
    name = _("stdin") if source == "-" else source
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        fail(_("cannot read %(name)s: %(reason)s") % {"name": name, "reason": exc.strerror or exc})
    except UnicodeDecodeError:
        fail(_("cannot read %(name)s: not UTF-8 text") % {"name": name})
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        fail(
            _("%(name)s is not valid JSON: %(reason)s (line %(line)s, column %(column)s)")
            % {"name": name, "reason": exc.msg, "line": exc.lineno, "column": exc.colno}
        )
    except RecursionError:
        fail(_("%(name)s is not valid JSON: nested too deeply") % {"name": name})


def _validate(data: Any) -> Assessment:
    from sciatica_care.domain.assessment import AssessmentError, parse_assessment

    try:
        return parse_assessment(data)
    except AssessmentError as exc:
        if current() == "en":
            fail("; ".join(str(e) for e in exc.errors))
        from sciatica_care.cli.words import describe

        _ = gettext_of()
        fail("; ".join(describe(e, _) for e in exc.errors))


def citations(kb: KnowledgeBase) -> dict[str, str]:
    """Source id -> full citation, for the Sources section."""
    return {s.id: s.citation for s in kb.sources.values()}


def render(
    assessment: Assessment, result: Result, kb: KnowledgeBase, *, fmt: str, brief: bool
) -> str:
    """The output of ``assess`` in ``fmt`` (text, markdown or json): the result or the brief."""
    if brief:
        from sciatica_care.domain.brief import therapist_brief

        b = therapist_brief(assessment, result, prepared_on=date.today())
        if fmt == "json":
            return json.dumps(b.model_dump(mode="json"), indent=2) + "\n"
        return b.to_markdown() if fmt == "markdown" else b.to_text()
    if fmt == "json":
        # Korean stays readable in the JSON (English output is unchanged: ASCII escapes).
        readable = current() != "en"
        return (
            json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=not readable) + "\n"
        )
    from sciatica_care.reports.text import to_markdown, to_text

    if fmt == "markdown":
        return to_markdown(result, citations=citations(kb), language=current())
    return to_text(result, citations=citations(kb), language=current())


def _save(path: Path, answers: dict[str, Any]) -> None:
    try:
        path.write_text(json.dumps(answers, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        _ = gettext_of()
        fail(
            _("cannot save to %(path)s: %(reason)s")
            % {"path": path, "reason": exc.strerror or exc},
            code=1,
        )


def assess_file(source: str, *, fmt: str, brief: bool, save: Path | None) -> None:
    """Assess the JSON in ``source`` (a path, or '-' for stdin) and print it in ``fmt``."""
    from sciatica_care.domain.plan import evaluate

    assessment = _validate(_read(source))
    kb = knowledge_base_or_fail()
    result = evaluate(assessment, kb)
    if save is not None:
        _save(save, assessment.model_dump(mode="json", exclude_defaults=True))
    sys.stdout.write(render(assessment, result, kb, fmt=fmt, brief=brief))
    from sciatica_care.knowledge.loader import keep_rule_code

    keep_rule_code()


def assess_interactively(*, fmt: str, brief: bool, save: Path | None) -> None:
    """Ask the questions in the terminal, then show the answer (rich, or ``fmt``)."""
    from sciatica_care.cli.questionnaire import ask_assessment
    from sciatica_care.cli.show import console, print_result
    from sciatica_care.domain.early_triage import early_triage
    from sciatica_care.domain.plan import evaluate

    out = console()
    kb = knowledge_base_or_fail()

    def is_emergency(answers: dict[str, Any]) -> bool:
        # Stop at the first answer that needs emergency or urgent care, whatever the
        # remaining answers would be (the same triage of the answers so far as the wizard).
        return early_triage(answers, kb).stop

    try:
        answers = ask_assessment(out, is_emergency=is_emergency)
    except (EOFError, KeyboardInterrupt):
        _ = gettext_of()
        out.print("\n" + _("Stopped. Nothing was saved."))
        raise typer.Exit(1) from None
    assessment = _validate(answers)
    result = evaluate(assessment, kb)
    out.print()
    if save is not None:
        _save(save, answers)
        _ = gettext_of()
        out.print(_("Answers saved to %(path)s.") % {"path": save} + "\n")
    if fmt == "text" and not brief:
        print_result(out, result, citations=citations(kb), language=current())
    else:
        sys.stdout.write(render(assessment, result, kb, fmt=fmt, brief=brief))

"""A trace as plain text for the terminal: the decision top to bottom, as a helper reads it."""

from __future__ import annotations

from service_catalog.lab.models import Trace


def format_trace(trace: Trace) -> str:
    """The trace as readable lines (``veiviser lab`` without ``--json``)."""
    lines = [f"Message: {trace.message}"]
    where = f"kommune {trace.kommune}" + ("" if trace.kommune_known or not trace.kommune else " (unknown)")
    lines.append(f"Asked for: {where if trace.kommune else 'no kommune'}, age {trace.age or 'unknown'}")
    if trace.language:
        lang = trace.language
        lines.append(
            f"Language: {lang.code} (p={lang.probability:.2f}, {lang.method or '?'}, confident={lang.confident})"
        )
    lines.append(f"Need: {trace.need or '(none)'} [intent {trace.intent}, confidence {trace.confidence:.2f}]")
    if trace.runner_up:
        lines.append("Runner-up: " + ", ".join(f"{g.need} {g.confidence:.2f}" for g in trace.runner_up))
    entities = [f"{e.entity}={e.value}" for e in trace.entities]
    lines.append(f"Entities: {', '.join(entities) or 'none'}")
    crisis = trace.crisis
    words = f" on {', '.join(repr(w) for w in crisis.words)}" if crisis.words else ""
    lines.append(
        f"Crisis layer: {'FIRED' if crisis.fired else 'not fired'} (action {crisis.action}, "
        f"lexicon {crisis.lexicon_level or 'none'}{words}; classifier said {crisis.classifier_need})"
    )
    lines.append(f"Urgency: {trace.urgency or '-'}")
    if trace.rule:
        band = _band(trace.rule.age_min, trace.rule.age_max)
        scope = f"kommune {trace.rule.kommunenummer}" if trace.rule.kommunenummer else "national"
        lines.append(f"Rule #{trace.rule.id} ({scope}, {band}): {' > '.join(trace.rule.doors)}")
    if trace.fallback_doors_added:
        lines.append("The rule left nothing usable: the general doors (snakke_med_noen) were added.")
    if trace.doors:
        lines.append("Doors:")
    for decision in trace.doors:
        door = decision.door
        state = {True: "open", False: "closed", None: "hours unknown"}[door.open_now]
        shown = "" if decision.shown else " (not shown: the chat shows six)"
        lines.append(f"  {decision.position}. [{door.category}] {door.name} - {state} - {door.why}{shown}")
    for left in trace.excluded:
        lines.append(f"  left out: [{left.category}] {left.name}: {left.reason} ({left.detail})")
    lines.append(f"Reply doors ({trace.reply_urgency or '-'}): {', '.join(trace.reply_doors) or 'none'}")
    if not trace.reply:
        lines.append("Reply: none (Rasa sends nothing when an action fails: is the action server running?)")
        return "\n".join(lines)
    lines.append("Reply:")
    lines.extend(f"  > {line}" for text in trace.reply for line in text.splitlines())
    return "\n".join(lines)


def _band(age_min: int | None, age_max: int | None) -> str:
    if age_min is None and age_max is None:
        return "all ages"
    return f"ages {age_min if age_min is not None else ''}-{age_max if age_max is not None else ''}"

"""``commerce tutor topics|generate|evaluate|remediate|mastery``: the tutor from the command line."""

from __future__ import annotations


def register(sub, common) -> None:
    p = sub.add_parser("tutor", parents=[common], help="practice exercises from the knowledge base")
    t_sub = p.add_subparsers(dest="tutor_command", metavar="TUTOR_COMMAND")
    t_sub.required = True
    t = t_sub.add_parser("topics", parents=[common], help="topics (knowledge sections) to practise")
    t.set_defaults(func=run_topics)
    g = t_sub.add_parser("generate", parents=[common], help="generate exercises for a topic")
    g.add_argument("topic", help="a topic as 'commerce tutor topics' lists it (or words of one)")
    g.add_argument("--difficulty", choices=["easy", "medium", "hard"],
                   help="default: chosen by the learner model (medium without --learner)")
    g.add_argument("-n", "--count", type=int, default=3, help="how many exercises (default 3)")
    g.add_argument("--learner", help="learner id: difficulty follows their mastery (default: anonymous, medium)")
    g.set_defaults(func=run_generate)
    for name, helptext in (("evaluate", "grade a response"), ("remediate", "explanation and an easier follow-up")):
        e = t_sub.add_parser(name, parents=[common], help=helptext)
        e.add_argument("exercise_id", help="an exercise_id that 'generate' printed (in [brackets])")
        e.add_argument("response", help="the learner's answer (quote it)")
        e.add_argument("--learner", help="learner id whose mastery the answer updates (default: none is updated)")
        e.set_defaults(func=run_evaluate if name == "evaluate" else run_remediate)
    m = t_sub.add_parser("mastery", parents=[common], help="a learner's mastery per concept")
    m.add_argument("learner", help="learner id as given to --learner")
    m.set_defaults(func=run_mastery)


def _service(ctx):
    from .. import wiring

    return wiring.tutor_service(ctx.settings)


def run_topics(ctx) -> int:
    doc = _service(ctx).topics()
    ctx.emit(doc, lambda: "\n".join(f"{t['topic']}  ({t['source']}, {t['passages']} passages)" for t in doc["topics"])
             or "no knowledge content: run 'commerce kb sync' or 'commerce demo'")
    return 0


def _exercise_text(e: dict) -> str:
    lines = [f"[{e['exercise_id']}] {e['type']} ({e.get('difficulty', '')}) - {e['concept']}", f"  {e['question']}"]
    for i, c in enumerate(e.get("choices") or []):
        lines.append(f"    {chr(65 + i)}) {c}")
    return "\n".join(lines)


def run_generate(ctx) -> int:
    a = ctx.args
    doc = _service(ctx).generate(a.topic, a.difficulty, a.count, a.learner)
    ctx.emit(doc, lambda: "\n".join(_exercise_text(e) for e in doc["exercises"]))
    return 0


def run_evaluate(ctx) -> int:
    a = ctx.args
    doc = _service(ctx).evaluate(a.exercise_id, a.response, a.learner)
    ctx.emit(doc, lambda: f"{doc['verdict']} (score {doc['score']}): {doc['feedback']}")
    return 0


def run_remediate(ctx) -> int:
    a = ctx.args
    doc = _service(ctx).remediate(a.exercise_id, a.response, a.learner)
    ctx.emit(doc, lambda: f"{doc['explanation']}\n\nFollow-up:\n{_exercise_text(doc['follow_up'])}")
    return 0


def run_mastery(ctx) -> int:
    doc = _service(ctx).mastery(ctx.args.learner)
    ctx.emit(doc, lambda: "\n".join(f"{c['p_mastery']:.2f}  {c['concept']} ({c['correct']}/{c['attempts']})"
                                    for c in doc["concepts"]) or "no attempts yet")
    return 0

"""`veiviser lab` against the running stack: one message's whole decision, and a test set scored.

The lab asks the same Rasa the chat uses (``/model/parse`` with a JWT, and the REST channel) and reads the
stack's catalogue database, so these tests run the installed command with the stack's environment.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
from rest_stack import ROOT, VEIVISER_BIN, Stack


def lab(stack: Stack, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VEIVISER_BIN), "lab", *args], cwd=ROOT, env=env or stack.env, capture_output=True, text=True, timeout=120
    )


def trace(stack: Stack, text: str, *args: str) -> dict:
    done = lab(stack, text, *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_trace_shows_language_need_runner_ups_rule_doors_and_reply(stack: Stack) -> None:
    t = trace(stack, "jeg har det vondt", "--kommune", "9999")

    assert t["language"]["code"] == "nb" and 0 < t["language"]["probability"] <= 1
    assert t["need"] is not None and t["urgency"] in {"akutt", "snart", "info"}
    assert t["runner_up"] and all(g["need"] != t["need"] for g in t["runner_up"])
    assert t["rule"]["need"] == t["need"]
    assert t["doors"] and all(d["door"]["why"] for d in t["doors"])
    assert t["reply"] and t["reply_doors"]


def test_trace_of_a_crisis_message_shows_the_crisis_layer_and_its_words(stack: Stack) -> None:
    t = trace(stack, "jeg vil ikke leve lenger", "--kommune", "9999")

    assert t["crisis"]["fired"] is True
    assert t["crisis"]["words"]
    assert t["urgency"] == "akutt" and t["reply_urgency"] == "akutt"
    assert "113" in t["reply"][0]


def test_trace_with_an_age_says_which_doors_the_age_left_out(stack: Stack) -> None:
    t = trace(stack, "jeg er så lei meg hele tiden", "--kommune", "9999", "--age", "22")

    left_for_age = [e for e in t["excluded"] if e["reason"] == "age"]
    assert any("ungdomsskole" in e["name"] for e in left_for_age)
    assert t["age"] == 22


def test_trace_as_text_is_readable(stack: Stack) -> None:
    done = lab(stack, "får panikk på bussen", "--kommune", "9999")

    assert done.returncode == 0, done.stderr
    for heading in ("Language:", "Need:", "Crisis layer:", "Rule #", "Doors:", "Reply:"):
        assert heading in done.stdout


def test_lab_refused_by_rasa_says_why_and_exits_1(stack: Stack) -> None:
    done = lab(stack, "hei", env={**stack.env, "RASA_JWT_SECRET": "not-the-secret-rasa-was-started-with"})

    assert done.returncode == 1
    assert "refused" in done.stderr


def test_rasa_http_api_takes_no_token_in_the_url_and_no_request_without_jwt(stack: Stack) -> None:
    body = {"text": "hei"}

    assert httpx.post(f"{stack.rasa_url}/model/parse", json=body).status_code == 401
    assert httpx.post(f"{stack.rasa_url}/model/parse?token=anything", json=body).status_code == 401


def test_batch_scores_a_test_set_and_writes_markdown_json_and_png(stack: Stack, tmp_path: Path) -> None:
    cases = tmp_path / "mitt-sett.tsv"
    cases.write_text(
        "text\tneed\tdoors\turgent\tkommune\tage\tlang\tnote\n"
        "jeg vil ikke leve lenger\tselvmordstanker\t\ttrue\t9999\t\tnb\t\n"
        "får panikk på bussen\tangst_uro\thelsesykepleier,helsestasjon_for_ungdom\tfalse\t9999\t15\tnb\t\n"
        "hei\tnone\t\tfalse\t\t\tnb\tsmall talk\n",
        encoding="utf-8",
    )

    done = lab(stack, "--batch", str(cases), "--out", str(tmp_path / "rapport"), "--json")

    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["cases"] == 3
    assert report["urgent_recall"] == {"hits": 1, "total": 1}
    assert report["right_door"]["total"] == 2  # "hei" has no door to judge
    written = sorted(p.name for p in (tmp_path / "rapport").iterdir())
    assert written == ["mitt-sett-confusion.png", "mitt-sett.json", "mitt-sett.md"]


def test_batch_with_a_broken_file_lists_the_problems_by_line(stack: Stack, tmp_path: Path) -> None:
    cases = tmp_path / "feil.tsv"
    cases.write_text(
        "text\tneed\tdoors\turgent\tkommune\tage\tlang\tnote\nhei\tikke_et_behov\t\tkanskje\t\t\t\t\n",
        encoding="utf-8",
    )

    done = lab(stack, "--batch", str(cases))

    assert done.returncode == 2
    assert "line 2" in done.stderr


def test_messages_signed_for_the_lab_are_not_held_back_by_the_chat_rate_limit(stack: Stack) -> None:
    from service_catalog.lab.rasa_client import RasaClient

    lab_client = RasaClient(stack.rasa_url, stack.env["RASA_JWT_SECRET"])
    headers = {"Authorization": f"Bearer {lab_client._token()}"}
    body = {"sender": "lab-many", "message": "hei", "metadata": {"kommune": "9999"}}

    answers = [
        httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", json=body, headers=headers, timeout=30).status_code
        for _ in range(25)  # more than the 20 a minute one young person may send
    ]

    assert answers == [200] * 25
    forged = {"Authorization": f"Bearer {RasaClient(stack.rasa_url, 'not-the-secret-' * 3)._token()}"}
    refused = [
        httpx.post(
            f"{stack.rasa_url}/webhooks/rest/webhook", json={**body, "sender": "forged"}, headers=forged
        ).status_code
        for _ in range(25)
    ]
    assert 429 in refused  # a token Rasa did not sign counts like any young person's messages

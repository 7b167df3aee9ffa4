#!/usr/bin/env python3
"""Write the golden ingest cases of the chat-text reader (beside this script)
and its error cases (tests/golden/errors/ingest-*.json).

The seed transcripts are checked for what the foundation issue asks: turn
counts and roles, the time stamps where the text shows them (two messages of
the Claude copy have none), no UI chrome and no annotator note in any turn,
no paragraph repeated inside a model turn where screenshots overlapped, the
notes holding the student's remarks, and the user's own corrections kept as
user text.  The three small examples in transcripts/examples/chat-text-*.txt
hold the same conversation as the Markdown examples and are checked turn by
turn, word for word.

usage: generate.py   (rewrites the case files in place)
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
ERRORS = os.path.join(REPO, "tests", "golden", "errors")

CHROME = ["Image Edit", "Web Dev", "Image Generation", "Video Generation", "Artifacts",
          "help you today", "AI-generated content", "Thinking completed", "tokens budget",
          "n3-Max", "hw4.pdf", "290.5 KB", "Thought for", "Copy code", "ChatGPT can make mistakes",
          "Skip to content", "Open sidebar", "Regenerate", "\u25a1", "\U0001F44D"]


def write(path, case):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(case, f, indent=2, ensure_ascii=False)
        f.write("\n")


def ingest_args(rel):
    return ["ingest", "{repo}/" + rel, "--format", "json"]


# ---------------------------------------------------------------- Claude seed

CLAUDE_TIMES = [
    "9:16:38", "9:16:59", "9:19:02", "9:19:13", "9:19:39", "9:19:47", None, "9:21:23",
    "9:26:15", "9:26:37", "9:29:55", "9:30:13", "9:31:05", "9:31:21", "9:32:32", "9:32:48",
    "9:34:04", "9:34:48", "9:37:03", "9:37:54", "9:40:33", "9:41:01", "9:42:03", "9:42:24",
    "9:43:53", "9:44:37", "9:48:02", None, "9:49:33", "9:50:24"]

CLAUDE_NOTES = [
    "One-shot success",
    "The model gets the correct answer here",
    "The model comes up with the right answers here",
    "In the next chat, I try to nudge the model to get to the right answer.",
    "At this point, the error is small enough that I point it out.",
    "Correctly derived",
    "1. Correctly converted between RMS norm and L2 norm",
    "3. Derived maximum spectral norm",
    "The model had no idea what it was doing wrong",
    "Now I decide to just tell the model the answer for part c",
    "I decide that since it is almost there",
    "This was by far the most challenging question for the model.",
    "Claude is able to correct its answer to part G seamlessly",
    "1. Receptive field doubles (factor of 2 increase)",
    "Recognized the edge type confusion:",
    "Correct explanations as well",
    "This is incorrect. I try to correct the earlier parts first",
]

claude = {
    "about": "the Claude seed (screenshots of a Claude chat with time stamps below each message, two of them missing, and the student's notes between): 15 user and 15 model turns in order, times where shown, no chrome and no note in any turn, the notes and the user's corrections where they belong",
    "args": ingest_args("transcripts/claude-hw4.txt"),
    "exit": 0,
    "expect": {
        "format": "chat-text",
        "counts": {"user": 15, "model": 15},
        "turns": [{"index": i + 1, "role": "user" if i % 2 == 0 else "model",
                   "time": ("12/9/2025, " + t + " PM") if t else None}
                  for i, t in enumerate(CLAUDE_TIMES)],
    },
    "checks": [
        {"select": "turns[*].text", "count": 30, "not_contains": CHROME},
        {"select": "turns[role=model].text", "not_contains": CLAUDE_NOTES + [
            "The model", "I try to", "I decide", "At this point I", "Here the model"]},
        {"select": "turns[role=user].text", "not_contains": CLAUDE_NOTES + [
            "The model", "I try to", "I decide"]},
        {"select": "turns[*].notes[*]", "any_contains": CLAUDE_NOTES},
        {"select": "turns[index=7].text",
         "contains": ["2. MuP at the Unit Scale", "Here is problem 2. Give a full explanation"],
         "not_contains": ["I'll work through"]},
        {"select": "turns[index=8].text", "contains": ["I'll work through this MuP"]},
        {"select": "turns[index=9].text",
         "contains": ["Your answer for part E is incorrect.", "Reread the question"]},
        {"select": "turns[index=13].text",
         "contains": ["Solution: By construction", "Does this make sense to you?"]},
        {"select": "turns[index=28].text",
         "contains": ["You're right! Let me reconsider the relationship"],
         "not_contains": ["Weights and Gradients", "Recognized"]},
        {"select": "turns[index=29].text",
         "contains": ["7. Weights and Gradients in a CNN", "Here is question 7."]},
        {"select": "turns[index=18].text",
         "contains": ["$$y = \\begin{bmatrix} 40 & 40 & 40 \\\\ 40 & 40 & 40 \\\\ 40 & 40 & 40 \\end{bmatrix}$$"]},
    ],
}
write(os.path.join(HERE, "claude-hw4.json"), claude)

# ---------------------------------------------------------------- Qwen seed

QWEN_NOTES = [
    "Qwen one shots problem 1 no problem.",
    "Qwen one shots parts a and b",
    "Qwen one shots all of problem 4.",
    "qwen gives total runtime and asymptotic runtime",
    "I start with a simple prompt and the entire pdf",
    "NOTE: This is actually my third time trying this.",
    "I find this very useful",
    "I attempt to give Qwen a hint",
    "Despite being given a second chance Qwen still does not consider",
    "Qwen now realizes its answer is incorrect",
    "Qwen eventually arrives to the right answer",
    "After redoing all its computations, Qwen arrives to the right answer.",
    "Qwen one shot problem 7 originally",
]

qwen = {
    "about": "the Qwen seed (screenshots with menus, input bar, model selector and disclaimer between them, overlapping passages, headers only on model messages, the student's notes anywhere): 6 user and 5 model turns, no chrome, every overlap kept once, notes out of the turns",
    "args": ingest_args("transcripts/qwen3-max-hw4.txt"),
    "exit": 0,
    "expect": {
        "format": "chat-text",
        "model": "Qwen3-Max",
        "counts": {"user": 6, "model": 5},
        "turns": [
            {"index": 1, "role": "user", "time": None},
            {"index": 2, "role": "model", "time": None, "model": "Qwen3-Max"},
            {"index": 3, "role": "user", "time": None},
            {"index": 4, "role": "model", "time": "7:29 PM", "model": "Qwen3-Max"},
            {"index": 5, "role": "user", "time": None},
            {"index": 6, "role": "model", "time": "7:31 PM", "model": "Qwen3-Max"},
            {"index": 7, "role": "user", "time": None},
            {"index": 8, "role": "model", "time": "8:22 PM", "model": "Qwen3-Max"},
            {"index": 9, "role": "user", "time": None,
             "text": "Lets move onto problem 7. The original answers you gave are hard to understand and too sparse. Redo problem 7 and provide intermediate reasoning for your answers."},
            {"index": 10, "role": "model", "time": "8:32 PM", "model": "Qwen3-Max"},
            {"index": 11, "role": "user", "time": None},
        ],
    },
    "checks": [
        {"select": "turns[*].text", "count": 11, "not_contains": CHROME + [
            "With few parameters (only 200", "and translation invariance of CNNs [34]",
            "no larger than ...", "prob' \u2193", "\n+ ", "\n- + "]},
        {"select": "turns[role=model].text", "unique_paragraphs": True,
         "not_contains": QWEN_NOTES + ["Qwen does", "Qwen fails", "I find it interesting"]},
        {"select": "turns[role=user].text", "not_contains": QWEN_NOTES},
        {"select": "turns[*].notes[*]", "any_contains": QWEN_NOTES},
        {"select": "turns[index=1].text",
         "contains": ["You are an expert mathematician", "problem 7"]},
        {"select": "turns[index=3].text",
         "contains": ["Great work with a first pass.", "2e is incorrect", "Redo 2e in more detail"]},
        {"select": "turns[index=5].text",
         "contains": ["This is still incorrect.", "Do you understand how they arrived at this result?"]},
        {"select": "turns[index=7].text", "contains": ["We now move on to question 3."]},
        {"select": "turns[index=11].text", "contains": ["Great work. We are done."]},
        {"select": "turns[index=2].text",
         "contains": ["- UV^T is orthogonal with spectral norm 1\n", "FC-3\t1473\t3",
                      "CONV3-10\t910\t$14 \\times 14 \\times 10$"]},
        {"select": "turns[index=4].text",
         "contains": ["Let me redo problem 2(e) with proper attention to how the c factor affects the constraint.",
                      "(since UV^T is orthogonal with spectral norm 1)"]},
    ],
}
write(os.path.join(HERE, "qwen3-max-hw4.json"), qwen)

# ---------------------------------------------------------------- examples

U1 = r"""You will be solving questions from a deep learning homework, one problem at a time. Give the answer to every part.

1. Newton-Schulz Runtime

Let us consider the Newton-Schulz update for a parameter matrix $W \in \mathbb{R}^{d_{\text{out}} \times d_{\text{in}}}$, using the degree-3 odd polynomial

$$p(W) = \frac{1}{2}\left(3I_{d_{\text{out}}} - WW^T\right)W.$$

(a) Assume that the runtime is dominated by matrix multiplication and that multiplying an $n \times m$ matrix by an $m \times p$ matrix takes $cmnp$ time. What is the runtime of each iteration?

(b) Now consider the case $d_{\text{out}} \gg d_{\text{in}}$. Is there a way to compute $p(W)$ faster? Report the updated runtime of each iteration."""

M1 = r"""**Part (a).** Computing $WW^T$ multiplies a $d_{\text{out}} \times d_{\text{in}}$ matrix by a $d_{\text{in}} \times d_{\text{out}}$ matrix, which costs $c\,d_{\text{out}}^2 d_{\text{in}}$. Multiplying the $d_{\text{out}} \times d_{\text{out}}$ result by $W$ costs another $c\,d_{\text{out}}^2 d_{\text{in}}$.

Answer for (a): $2c\,d_{\text{out}}^2 d_{\text{in}}$

**Part (b).** Rewrite $p(W) = \frac{3}{2}W - \frac{1}{2}W(W^TW)$ and form the Gram matrix $W^TW$ first; it is only $d_{\text{in}} \times d_{\text{in}}$.

Answer for (b): $c\,d_{\text{out}} d_{\text{in}}^2$"""

U2 = r"""Your answer for (b) is not right: you only counted one of the two matrix multiplications."""

M2 = r"""You are right, I left out the second product. Forming $W^TW$ costs $c\,d_{\text{out}} d_{\text{in}}^2$ and multiplying $W$ by it costs another $c\,d_{\text{out}} d_{\text{in}}^2$.

Answer for (b): $2c\,d_{\text{out}} d_{\text{in}}^2$"""


def example(name, about, notes, model, times=(None, None, None, None), title=None, texts=(U1, M1, U2, M2)):
    turns = []
    for i, (role, text) in enumerate(zip(("user", "model", "user", "model"), texts)):
        turns.append({"index": i + 1, "role": role, "time": times[i], "text": text,
                      "notes": notes[i]})
    exp = {"format": "chat-text", "model": model, "turns": turns,
           "counts": {"user": 2, "model": 2, "notes": sum(len(n) for n in notes)}}
    if title:
        exp["title"] = title
    return {
        "about": about,
        "args": ingest_args("transcripts/examples/" + name + ".txt"),
        "exit": 0,
        "expect": exp,
        "checks": [{"select": "turns[*].text", "count": 4, "not_contains": CHROME}],
    }


write(os.path.join(HERE, "example-you-said.json"), example(
    "chat-text-you-said",
    "a ChatGPT page copied as text: 'You said:' / 'ChatGPT said:' labels, 'Thought for 12s', Copy/Edit buttons, page chrome and the disclaimer dropped; the annotator's notes kept out of the turns; same turn texts as the Markdown examples",
    [[], ["The model forgot the second matrix product in part (b), so I point that out next."],
     [], ["One-shot success on part (a); part (b) needed one correction."]],
    "ChatGPT"))
write(os.path.join(HERE, "example-you-chatgpt.json"), example(
    "chat-text-you-chatgpt",
    "'You:' / 'ChatGPT:' labels with the message on the same line or the next, 'Thought for 12s' (also after the label on its line) dropped; same turn texts as the Markdown examples",
    [[], ["Here the model counted only one product in part (b). I nudge it in the next message."],
     [], []],
    "ChatGPT"))
write(os.path.join(HERE, "example-user-assistant.json"), example(
    "chat-text-user-assistant",
    "'User:' / 'Assistant:' labels under time stamps, a title line naming the model, a Regenerate button; times go to the message below them",
    [[], [], [], ["GPT-4o gets part (b) right after a single nudge."]],
    "GPT-4o",
    times=("12/9/2025, 9:16 PM", "12/9/2025, 9:17 PM", "12/9/2025, 9:19 PM", "12/9/2025, 9:19 PM"),
    title="Newton-Schulz runtime with GPT-4o"))

# A current ChatGPT page: a code block whose header (language, Copy, Edit)
# must not end the message, closing "Would you like…?" questions that stay
# with the model under "ChatGPT said:", and page clutter (a "2/2" version
# counter, "Updated saved memory", a canvas button).
CODE = """The count as code:

def cost_b(c, d_out, d_in):
    # W^T W is d_in x d_in
    return c * d_out * d_in**2

Would you like me to also count the cost of several iterations in a row?"""
CLOSER = "If you want, I can also write the two costs side by side in a table. Would you like that?"
page = example(
    "chat-text-chatgpt-page",
    "a current ChatGPT page: the code block's 'python / Copy / Edit' header is dropped and the code stays in the answer; 'Would you like…?' closers stay with the model inside the span 'ChatGPT said:' opens; a '2/2' counter, 'Updated saved memory' and 'Answer in chat instead' are chrome",
    [[], ["The model forgot the second matrix product in part (b), so I point that out next."],
     [], ["One-shot success on part (a); part (b) needed one correction."]],
    "ChatGPT", texts=(U1, M1 + "\n\n" + CODE, U2, M2 + "\n\n" + CLOSER))
page["checks"].append({"select": "turns[*].text", "count": 4,
                       "not_contains": ["2/2", "Updated saved memory", "Answer in chat instead", "python\n", "Edit"]})
write(os.path.join(HERE, "example-chatgpt-page.json"), page)
write(os.path.join(HERE, "grade-chatgpt-page.json"), {
    "about": "grading the current ChatGPT page: the closing questions and the code block do not add a user turn, so part 1b still has exactly one correction (turn 3) and passes at turn 4",
    "args": ["grade", "{repo}/transcripts/examples/chat-text-chatgpt-page.txt", "--rubric", "{repo}/rubrics/hw4.json",
             "--format", "json"],
    "exit": 0,
    "checks": [
        {"select": "parts[part=1b].corrections[*].turn", "count": 1, "contains": ["3"]},
        {"select": "parts[part=1b].first.turn", "count": 1, "contains": ["2"]},
        {"select": "parts[part=1b].final.turn", "count": 1, "contains": ["4"]},
        {"select": "parts[part=1b].final.verdict", "count": 1, "contains": ["pass"]},
        {"select": "summary.corrections", "count": 1, "contains": ["1"]},
    ]})

# ---------------------------------------------------------------- errors


def err(name, about, path, needles):
    write(os.path.join(ERRORS, name + ".json"), {
        "about": about,
        "args": ["ingest", path, "--format", "json"],
        "exit": 2,
        "stderr_contains": needles,
        "stdout_empty": True,
    })


err("ingest-binary", "a binary file: exit 2 naming the file, the line and column of the NUL byte",
    "{repo}/tests/golden/errors/data/ingest-binary.bin",
    ["ingest-binary.bin:2:6:", "binary file"])
err("ingest-invalid-utf8", "text that is not valid UTF-8: exit 2 naming the file, line, column and the bad byte",
    "{repo}/tests/golden/errors/data/ingest-invalid-utf8.txt",
    ["ingest-invalid-utf8.txt:2:3:", "invalid UTF-8"])
err("ingest-empty", "an empty file: exit 2, no conversation found",
    "{repo}/tests/golden/errors/data/ingest-empty.txt",
    ["ingest-empty.txt", "no conversation found"])
err("ingest-chrome-only", "a page of UI chrome and nothing else: exit 2, no conversation found",
    "{repo}/tests/golden/errors/data/ingest-chrome-only.txt",
    ["ingest-chrome-only.txt", "no conversation found"])
err("ingest-directory", "a directory given as the transcript: exit 2 naming it",
    "{repo}/tests/golden/errors/data",
    ["errors/data", "is a directory"])
err("ingest-missing", "a file that does not exist: exit 2 naming it and the reason",
    "{tmp}/no-such-transcript.txt",
    ["no-such-transcript.txt", "No such file"])

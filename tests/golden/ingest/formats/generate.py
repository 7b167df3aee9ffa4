#!/usr/bin/env python3
"""Write transcripts/examples/* (one small example per supported format, all
holding the same short conversation about hw4 Problem 1) and the golden
ingest cases beside this script that check each of them.

The conversation: the user pastes Problem 1 (Newton-Schulz runtime); the
model answers (a) 2c d_out^2 d_in and (b) c d_out d_in^2, which misses a
factor 2; the user says (b) is wrong; the model corrects (b) to
2c d_out d_in^2.  Every format carries hidden reasoning somewhere (a
<details> block, a thinking block, a "thoughts" node, <think> tags) whose
text must not reach the graded turns, and the cases assert the turn texts
exactly, so the same conversation reads identically in every format.

usage: generate.py   (run from anywhere; rewrites the files in place)
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
EX = os.path.join(REPO, "transcripts", "examples")

TITLE = "Newton-Schulz runtime"

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

# Hidden reasoning: must never appear in a turn.
R1 = "The user wants exact runtimes. I should count the multiplications one at a time and keep the constant c."
R2 = "I missed a product in part b; recount W times the Gram matrix."
# Text of abandoned branches: must never appear either.
OLD_U1 = "Solve Problem 1 of the homework (Newton-Schulz runtime)."
OLD_M1 = r"Answer for (a): $O(d_{\text{out}}^3)$ (abandoned branch)"
OLD_M2 = r"Answer for (b): $3c\,d_{\text{out}} d_{\text{in}}^2$ (regenerated away)"

TURNS = [("user", U1), ("model", M1), ("user", U2), ("model", M2)]
HIDDEN = [R1, R2, "abandoned branch", "regenerated away", OLD_U1]


def write(name, text):
    with open(os.path.join(EX, name), "w", encoding="utf-8") as f:
        f.write(text)


def write_json(name, obj, pretty=True):
    write(name, json.dumps(obj, ensure_ascii=False, indent=2 if pretty else None) + "\n")


def write_case(base, obj):
    """A golden case beside this script."""
    with open(os.path.join(HERE, base + ".json"), "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")


def details(r):
    return "<details>\n<summary>Thinking</summary>\n\n" + r + "\n\n</details>\n\n"


# ------------------------------------------------------------- Markdown

def md_headings():
    return ("---\ntitle: \"" + TITLE + "\"\nmodel: gpt-4o\nexported: 2025-12-09T21:20:00Z\n---\n\n"
            "# " + TITLE + "\n\n## User\n\n" + U1 + "\n\n---\n\n## Assistant\n\n" + details(R1) + M1 +
            "\n\n---\n\n## User\n\n" + U2 + "\n\n---\n\n## Assistant\n\n" + details(R2) + M2 + "\n")


def md_chatgpt_exporter():
    return ("# " + TITLE + "\n\n**User:** Anonymous (student@example.edu)  \n**Created:** 12/9/2025 21:16:38  \n"
            "**Updated:** 12/9/2025 21:19:02  \n**Exported:** 12/9/2025 21:25:11  \n"
            "**Link:** [https://chatgpt.com/c/example](https://chatgpt.com/c/example)  \n\n"
            "## Prompt:\n" + U1 + "\n\n## Response:\n" + details(R1) + M1 + "\n\n## Prompt:\n" + U2 +
            "\n\n## Response:\n" + M2 + "\n\n\n\n---\nPowered by [ChatGPT Exporter](https://www.chatgptexporter.com)\n")


def md_you_chatgpt():
    return ("# " + TITLE + "\n\nModel: GPT-4o\n\n#### You:\n" + U1 + "\n\n#### ChatGPT:\n" + M1 +
            "\n\n#### You:\n" + U2 + "\n\n#### ChatGPT:\n" + details(R2) + M2 + "\n")


def md_emoji():
    return ("# " + TITLE + "\n\n_Exported from Claude on 2025-12-09_\n\n## 👤 User\n\n" + U1 +
            "\n\n## 🤖 Claude\n\n" + details(R1) + M1 + "\n\n## 👤 User\n\n" + U2 + "\n\n## 🤖 Claude\n\n" + M2 + "\n")


def md_human_gpt():
    return "### human\n\n" + U1 + "\n\n### gpt\n\n" + M1 + "\n\n### human\n\n" + U2 + "\n\n### gpt\n\n" + M2 + "\n"


def md_bold():
    return ("# " + TITLE + "\n\n**User:** " + U1 + "\n\n**ChatGPT:** " + details(R1) + M1 + "\n\n**User:** " + U2 +
            "\n\n**ChatGPT:** " + M2 + "\n")


def md_numbered():
    """Numbered role headings, a Thinking section before the answer, a whole
    message wrapped in one fence."""
    return ("# " + TITLE + "\n\n### 1. User\n\n" + U1 + "\n\n### 2. Assistant\n\n#### Thinking\n\n" + R1 +
            "\n\n#### Answer\n\n" + M1 + "\n\n### 3. User\n\n" + U2 + "\n\n### 4. Assistant\n\n"
            "#### Reasoning\n\n" + R2 + "\n\n#### Response\n\n```markdown\n" + M2 + "\n```\n")


def md_inline_labels():
    """Capitalised bold labels, each on the line right after the previous
    message (one Markdown paragraph), under a stray "# Prompt" heading."""
    return ("# Prompt\n\n**USER**: " + U1 + "\n**ASSISTANT**: " + M1 + "\n**USER**: " + U2 +
            "\n**ASSISTANT**: " + M2 + "\n")


# ------------------------------------------------------------------ JSON

def openai_messages():
    return {
        "model": "gpt-4o",
        "title": TITLE,
        "messages": [
            {"role": "system", "content": "You are a helpful tutor."},
            {"role": "user", "content": U1},
            {"role": "assistant", "content": [{"type": "reasoning", "text": R1},
                                              {"type": "text", "text": M1}]},
            {"role": "user", "content": [{"type": "text", "text": U2}]},
            {"role": "assistant", "content": None,
             "tool_calls": [{"id": "call_1", "type": "function",
                             "function": {"name": "check_runtime", "arguments": "{\"part\": \"b\"}"}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": "count both products"},
            {"role": "assistant", "content": "<think>" + R2 + "</think>\n" + M2},
        ],
    }


def openai_jsonl():
    a = {"model": "gpt-4o", "messages": [{"role": "user", "content": U1}, {"role": "assistant", "content": M1},
                                         {"role": "user", "content": U2},
                                         {"role": "assistant", "content": "<think>" + R2 + "</think>" + M2}]}
    b = {"model": "o3-mini", "messages": [{"role": "user", "content": U1},
                                          {"role": "assistant", "content": M1.replace(
                                              r"Answer for (b): $c\,", r"Answer for (b): $2c\,")}]}
    return json.dumps(a, ensure_ascii=False) + "\n" + json.dumps(b, ensure_ascii=False) + "\n"


def mixed_jsonl():
    """One OpenAI line and one ShareGPT line in one file (as eval dumps mix them)."""
    a = {"model": "gpt-4o", "messages": [{"role": "user", "content": U1}, {"role": "assistant", "content": M1},
                                         {"role": "user", "content": U2}, {"role": "assistant", "content": M2}]}
    b = {"id": "s2", "model": "qwen3-max", "conversations": [{"from": "human", "value": U1},
                                                             {"from": "gpt", "value": M1}]}
    return json.dumps(a, ensure_ascii=False) + "\n" + json.dumps(b, ensure_ascii=False) + "\n"


def sharegpt():
    return {"id": "hw4-p1", "model": "gpt-4o", "conversations": [
        {"from": "system", "value": "You are a helpful tutor."},
        {"from": "human", "value": U1},
        {"from": "gpt", "value": "<think>\n" + R1 + "\n</think>\n\n" + M1},
        {"from": "human", "value": U2},
        {"from": "gpt", "value": M2}]}


def chatgpt():
    def node(nid, parent, children, role=None, parts=None, ctype="text", t=None, hidden=False, extra=None):
        n = {"id": nid, "parent": parent, "children": children, "message": None}
        if role:
            meta = {"model_slug": "o3"} if role == "assistant" else {}
            if hidden:
                meta["is_visually_hidden_from_conversation"] = True
            content = {"content_type": ctype}
            if ctype == "thoughts":
                content["thoughts"] = [{"summary": "Counting", "content": parts[0]}]
            else:
                content["parts"] = parts
            n["message"] = {"id": nid, "author": {"role": role, "name": None, "metadata": {}},
                            "create_time": t, "content": content, "status": "finished_successfully",
                            "metadata": meta, "recipient": "all"}
            if extra:
                n["message"].update(extra)
        return nid, n
    nodes = [
        node("root", None, ["sys"]),
        node("sys", "root", ["u1-old", "u1"], "system", [""], hidden=True),
        # the first version of the prompt, later edited: not graded
        node("u1-old", "sys", ["a1-old"], "user", [OLD_U1], t=1765314990.0),
        node("a1-old", "u1-old", [], "assistant", [OLD_M1], t=1765314995.5),
        # the live branch
        node("u1", "sys", ["think1"], "user", [U1], t=1765314998.1),
        node("think1", "u1", ["a1"], "assistant", [R1], ctype="thoughts", t=1765315000.0),
        node("a1", "think1", ["u2"], "assistant", [M1], t=1765315019.0),
        node("u2", "a1", ["a2-old", "a2"], "user", [U2], t=1765315142.0),
        # a regenerated answer: the first try is not graded
        node("a2-old", "u2", [], "assistant", [OLD_M2], t=1765315150.0),
        node("a2", "u2", [], "assistant", [M2], t=1765315160.0),
    ]
    conv = {"title": TITLE, "create_time": 1765314990.0, "update_time": 1765315160.0,
            "mapping": dict(nodes), "current_node": "a2", "conversation_id": "6757c0de-hw4-p1",
            "default_model_slug": "o3", "is_archived": False}
    return [conv]


def claude():
    def msg(uid, parent, sender, blocks, t):
        text = "".join(b.get("text", "") for b in blocks if b["type"] == "text")
        return {"uuid": uid, "parent_message_uuid": parent, "sender": sender, "text": text,
                "content": blocks, "created_at": t, "updated_at": t, "attachments": [], "files": []}
    msgs = [
        msg("m1", "00000000-0000-4000-8000-000000000000", "human",
            [{"type": "text", "text": U1}], "2025-12-09T21:16:38.000000Z"),
        msg("m2", "m1", "assistant", [{"type": "thinking", "thinking": R1},
                                      {"type": "text", "text": M1}], "2025-12-09T21:16:59.000000Z"),
        msg("m3", "m2", "human", [{"type": "text", "text": U2}], "2025-12-09T21:19:02.000000Z"),
        # a retried answer on another branch: not graded
        msg("m4-old", "m3", "assistant", [{"type": "text", "text": OLD_M2}], "2025-12-09T21:19:10.000000Z"),
        msg("m4", "m3", "assistant", [{"type": "thinking", "thinking": R2},
                                      {"type": "text", "text": M2}], "2025-12-09T21:19:30.000000Z"),
    ]
    return [{"uuid": "8d3f0c2e-hw4-p1", "name": TITLE, "created_at": "2025-12-09T21:16:38.000000Z",
             "updated_at": "2025-12-09T21:19:30.000000Z", "account": {"uuid": "acct"},
             "current_leaf_message_uuid": "m4", "chat_messages": msgs}]


def claude_unordered():
    """The official export as it comes: no parent links, chat_messages shuffled, a
    question and its answer sharing one created_at; the last answer written into
    an artifact, its top-level text holding the thinking."""
    def msg(uid, sender, blocks, text, t):
        return {"uuid": uid, "sender": sender, "text": text, "content": blocks, "created_at": t,
                "updated_at": t, "attachments": [], "files": []}
    t1, t2 = "2025-12-09T21:16:38.000000Z", "2025-12-09T21:19:02.000000Z"
    m1 = msg("m1", "human", [{"type": "text", "text": U1}], U1, t1)
    m2 = msg("m2", "assistant", [{"type": "thinking", "thinking": R1}, {"type": "text", "text": M1}], M1, t1)
    m3 = msg("m3", "human", [{"type": "text", "text": U2}], U2, t2)
    m4 = msg("m4", "assistant", [{"type": "thinking", "thinking": R2},
                                 {"type": "tool_use", "name": "artifacts",
                                  "input": {"id": "runtime", "type": "text/markdown", "title": "Part (b) again",
                                            "command": "create", "content": M2}},
                                 {"type": "tool_result", "name": "artifacts", "content": [{"type": "text", "text": "OK"}]}],
             R2, t2)
    return [{"uuid": "8d3f0c2e-hw4-p1b", "name": TITLE, "created_at": t1, "updated_at": t2,
             "account": {"uuid": "acct"}, "chat_messages": [m4, m3, m2, m1]}]


def chatgpt_tools():
    """A live branch with the model's tool traffic: a preamble on the commentary
    channel, a browser search command and its result, a thinking preamble, and
    the corrected answer written into a canvas document (JSON in "text")."""
    nodes = []

    def add(nid, role, ctype, parts=None, text=None, t=None, recipient="all", channel=None, meta=None, name=None):
        content = {"content_type": ctype}
        if parts is not None:
            content["parts"] = parts
        if text is not None:
            content["text"] = text
        m = {"id": nid, "author": {"role": role, "name": name, "metadata": {}}, "create_time": t,
             "content": content, "status": "finished_successfully",
             "metadata": dict(meta or {}, **({"model_slug": "gpt-5-thinking"} if role == "assistant" else {})),
             "recipient": recipient}
        if channel:
            m["channel"] = channel
        nodes.append((nid, m))
    add("u1", "user", "text", [U1], t=1765314998.1)
    add("pre1", "assistant", "text", ["Let me look up how the Newton-Schulz step is usually costed."],
        t=1765315000.0, channel="commentary")
    add("search1", "assistant", "code", text='search("Newton-Schulz iteration matrix multiplication cost")',
        t=1765315001.0, recipient="browser")
    add("web1", "tool", "tether_browsing_display", text="Results: a page on polynomial iterations", name="browser",
        t=1765315002.0)
    add("quote1", "assistant", "code", text='quote("L1", "L9")', t=1765315003.0, recipient="browser")
    add("a1", "assistant", "text", [M1], t=1765315019.0)
    add("u2", "user", "text", [U2], t=1765315142.0)
    add("pre2", "assistant", "text", ["I will redo the count in a canvas."], t=1765315150.0,
        meta={"is_thinking_preamble_message": True})
    add("canvas2", "assistant", "code",
        text=json.dumps({"name": "runtime_b", "type": "document", "content": M2}), t=1765315160.0,
        recipient="canmore.create_textdoc")
    add("canvas2-ok", "tool", "text", ["Successfully created text document 'runtime_b'"], t=1765315161.0,
        name="canmore.create_textdoc")
    mapping = {"root": {"id": "root", "parent": None, "children": [nodes[0][0]], "message": None}}
    prev = "root"
    for i, (nid, m) in enumerate(nodes):
        kids = [nodes[i + 1][0]] if i + 1 < len(nodes) else []
        mapping[nid] = {"id": nid, "parent": prev, "children": kids, "message": m}
        prev = nid
    return [{"title": TITLE, "create_time": 1765314990.0, "update_time": 1765315161.0, "mapping": mapping,
             "current_node": prev, "conversation_id": "6757c0de-hw4-tools", "default_model_slug": "gpt-5-thinking"}]


IMG_U1 = "Draw the two matrix products of one Newton-Schulz step as block diagrams."
IMG_U2 = "Label the sizes of the blocks too."
IMG_M2 = "The left block is $d_{\\text{out}} \\times d_{\\text{in}}$ and the Gram matrix is $d_{\\text{in}} \\times d_{\\text{in}}$."


def chatgpt_image():
    """Answers that are images from the image tool: each becomes "[image]" in the
    model's turn, so the two prompts around the first one stay apart."""
    def node(nid, parent, kid, role, content, recipient="all", name=None, t=None):
        m = {"id": nid, "author": {"role": role, "name": name, "metadata": {}}, "create_time": t,
             "content": content, "status": "finished_successfully",
             "metadata": {"model_slug": "gpt-4o"} if role == "assistant" else {}, "recipient": recipient}
        return nid, {"id": nid, "parent": parent, "children": [kid] if kid else [], "message": m}

    def image():
        return {"content_type": "multimodal_text",
                "parts": [{"content_type": "image_asset_pointer", "asset_pointer": "file-service://file-example",
                           "size_bytes": 1024, "width": 512, "height": 512, "metadata": {}}]}
    nodes = dict([
        node("u1", "root", "call1", "user", {"content_type": "text", "parts": [IMG_U1]}, t=1765315200.0),
        node("call1", "u1", "img1", "assistant", {"content_type": "text", "parts": ['{"prompt": "two block diagrams"}']},
             recipient="t2uay3k.sj1i4kz", t=1765315201.0),
        node("img1", "call1", "u2", "tool", image(), name="t2uay3k.sj1i4kz", t=1765315230.0),
        node("u2", "img1", "img2", "user", {"content_type": "text", "parts": [IMG_U2]}, t=1765315300.0),
        node("img2", "u2", "a2", "tool", image(), name="t2uay3k.sj1i4kz", t=1765315330.0),
        node("a2", "img2", None, "assistant", {"content_type": "text", "parts": [IMG_M2]}, t=1765315331.0),
    ])
    nodes["root"] = {"id": "root", "parent": None, "children": ["u1"], "message": None}
    return [{"title": "Block diagrams", "mapping": nodes, "current_node": "a2", "default_model_slug": "gpt-4o"}]


def openwebui():
    def m(mid, parent, kids, role, content, t):
        d = {"id": mid, "parentId": parent, "childrenIds": kids, "role": role, "content": content,
             "timestamp": t}
        if role == "assistant":
            d.update({"model": "qwen3:32b", "modelName": "qwen3:32b", "done": True})
        else:
            d["models"] = ["qwen3:32b"]
        return mid, d
    reason = '<details type="reasoning" done="true" duration="12">\n<summary>Thought for 12 seconds</summary>\n> ' 
    msgs = dict([
        m("u1", None, ["a1"], "user", U1, 1765314998),
        m("a1", "u1", ["u2"], "assistant", reason + R1 + "\n</details>\n" + M1, 1765315019),
        m("u2", "a1", ["a2-old", "a2"], "user", U2, 1765315142),
        m("a2-old", "u2", [], "assistant", OLD_M2, 1765315150),
        m("a2", "u2", [], "assistant", reason + R2 + "\n</details>\n" + M2, 1765315160),
    ])
    chat = {"id": "c0ffee-hw4-p1", "title": TITLE, "models": ["qwen3:32b"],
            "history": {"messages": msgs, "currentId": "a2"},
            "messages": [msgs["u1"], msgs["a1"], msgs["u2"], msgs["a2"]], "timestamp": 1765314998}
    return [{"id": "c0ffee-hw4-p1", "user_id": "student", "title": TITLE, "chat": chat,
             "updated_at": 1765315160, "created_at": 1765314998, "archived": False}]


# ------------------------------------------- formats read since issue 18

def aistudio():
    """A Google AI Studio saved prompt: chunks, thoughts marked isThought."""
    def chunk(role, text, thought=False):
        c = {"text": text, "role": role, "tokenCount": len(text) // 4}
        if thought:
            c.update({"isThought": True, "thinkingBudget": -1})
        elif role == "model":
            c["finishReason"] = "STOP"
        return c
    return {"runSettings": {"temperature": 1.0, "model": "models/gemini-2.5-pro", "topP": 0.95, "topK": 64,
                            "maxOutputTokens": 65536, "thinkingBudget": -1},
            "systemInstruction": {},
            "chunkedPrompt": {"chunks": [chunk("user", U1), chunk("model", R1, True), chunk("model", M1),
                                         chunk("user", U2), chunk("model", R2, True), chunk("model", M2)],
                              "pendingInputs": [{"text": "", "role": "user"}]}}


def gemini():
    """A Gemini API request body with thought summaries in the model's parts."""
    return {"model": "gemini-2.5-flash",
            "systemInstruction": {"parts": [{"text": "You are a helpful tutor."}]},
            "contents": [{"role": "user", "parts": [{"text": U1}]},
                         {"role": "model", "parts": [{"text": R1, "thought": True}, {"text": M1}]},
                         {"role": "user", "parts": [{"text": U2}]},
                         {"role": "model", "parts": [{"text": R2, "thought": True}, {"text": M2}]}],
            "generationConfig": {"thinkingConfig": {"includeThoughts": True}}}


def grok():
    """The xAI data export: responses wrapped in "response", times as $date."""
    def r(rid, sender, text, ms, extra=None):
        d = {"_id": rid, "conversation_id": "c-hw4-p1", "message": text, "sender": sender,
             "create_time": {"$date": {"$numberLong": str(ms)}}, "model": "grok-4"}
        d.update(extra or {})
        return {"response": d}
    return {"conversations": [{
        "conversation": {"id": "c-hw4-p1", "title": TITLE, "create_time": "2025-12-09T21:16:38.000000Z"},
        "responses": [r("r1", "human", U1, 1765314998000),
                      r("r2", "assistant", M1, 1765315019000, {"thinking_trace": R1}),
                      r("r3", "human", U2, 1765315142000),
                      r("r4", "assistant", M2, 1765315160000, {"thinking_trace": R2})]}]}


def responses():
    """An OpenAI Responses API object: input items, then output items with
    reasoning and a function call around the answer."""
    return {"id": "resp_hw4", "object": "response", "created_at": 1765315160, "model": "gpt-5",
            "input": [{"role": "developer", "content": "You are a helpful tutor."},
                      {"role": "user", "content": [{"type": "input_text", "text": U1}]},
                      {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": R1}]},
                      {"type": "message", "role": "assistant",
                       "content": [{"type": "output_text", "text": M1, "annotations": []}]},
                      {"role": "user", "content": U2}],
            "output": [{"type": "reasoning", "id": "rs_2", "summary": [{"type": "summary_text", "text": R2}]},
                       {"type": "function_call", "call_id": "call_1", "name": "check_runtime", "arguments": "{}"},
                       {"type": "message", "id": "msg_2", "role": "assistant", "status": "completed",
                        "content": [{"type": "output_text", "text": M2, "annotations": []}]}]}


def lmsys():
    """An LMSYS-Chat-1M row (JSONL)."""
    row = {"conversation_id": "0f3c-hw4", "model": "vicuna-13b",
           "conversation": [{"role": "user", "content": U1}, {"role": "assistant", "content": M1},
                            {"role": "user", "content": U2},
                            {"role": "assistant", "content": "<think>" + R2 + "</think>\n" + M2}],
           "turn": 2, "language": "English", "openai_moderation": [{"categories": {}, "flagged": False}] * 4,
           "redacted": False}
    return json.dumps(row, ensure_ascii=False) + "\n"


def librechat():
    """A LibreChat export: isCreatedByUser tells the speaker, think parts hold reasoning."""
    def m(mid, parent, by_user, text=None, content=None, t=None):
        d = {"messageId": mid, "parentMessageId": parent, "conversationId": "lc-hw4",
             "sender": "User" if by_user else "GPT-4o", "isCreatedByUser": by_user, "text": text or "",
             "createdAt": t, "unfinished": False, "error": False}
        if not by_user:
            d["model"] = "gpt-4o"
            d["endpoint"] = "openAI"
        if content:
            d["content"] = content
        return d
    return {"conversationId": "lc-hw4", "title": TITLE, "endpoint": "openAI",
            "messages": [m("m1", "00000000-0000-0000-0000-000000000000", True, U1, t="2025-12-09T21:16:38.000Z"),
                         m("m2", "m1", False, content=[{"type": "think", "think": R1},
                                                       {"type": "text", "text": M1}], t="2025-12-09T21:16:59.000Z"),
                         m("m3", "m2", True, U2, t="2025-12-09T21:19:02.000Z"),
                         m("m4", "m3", False, content=[{"type": "think", "think": R2},
                                                       {"type": "text", "text": {"value": M2}}],
                           t="2025-12-09T21:19:20.000Z")]}


def lmstudio():
    """An LM Studio conversation: versions per message (an edited prompt), thinking
    in a content block styled as thinking."""
    def user(*texts, sel=None):
        return {"versions": [{"type": "singleStep", "role": "user", "content": [{"type": "text", "text": t}]}
                             for t in texts], "currentlySelected": len(texts) - 1 if sel is None else sel}

    def reply(r, text):
        return {"versions": [{"type": "multiStep", "role": "assistant", "senderInfo": {"senderName": "qwen/qwen3-8b"},
                              "steps": [{"type": "contentBlock", "stepIdentifier": "s1",
                                         "content": [{"type": "text", "text": r}],
                                         "style": {"type": "thinking", "title": "Thought for 4 seconds"},
                                         "prefix": "<think>", "suffix": "</think>"},
                                        {"type": "contentBlock", "stepIdentifier": "s2",
                                         "content": [{"type": "text", "text": text}]},
                                        {"type": "debugInfoBlock", "stepIdentifier": "s3",
                                         "debugInfo": "Conversation naming technique: 'prompt'"}]}],
                "currentlySelected": 0}
    return {"name": TITLE, "pinned": False, "createdAt": 1765314998000, "tokenCount": 900,
            "messages": [user(OLD_U1, U1), reply(R1, M1), user(U2), reply(R2, M2)]}


def sillytavern():
    """A SillyTavern chat file: a header line, then one message per line."""
    lines = [{"user_name": "Student", "character_name": "Tutor", "create_date": "2025-12-09@21h16m38s",
              "chat_metadata": {"note_prompt": ""}},
             {"name": "Tutor", "is_user": False, "is_system": True, "send_date": "December 9, 2025 9:16pm",
              "mes": "Tutor greets you.", "extra": {"type": "narrator"}}]
    for i, (role, text) in enumerate(TURNS):
        d = {"name": "Student" if role == "user" else "Tutor", "is_user": role == "user", "is_system": False,
             "send_date": "December 9, 2025 9:%02dpm" % (16 + i), "mes": text, "extra": {}}
        if role == "model":
            d["extra"] = {"api": "openai", "model": "gpt-4o", "reasoning": R1 if i == 1 else R2}
            d["swipe_id"] = 0
            d["swipes"] = [text]
        lines.append(d)
    return "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)


def value_parts():
    """OpenAI-style messages whose parts carry "value" (LLaMA-Factory)."""
    return {"messages": [{"role": "system", "content": "You are a helpful tutor."}] +
            [{"role": "user" if r == "user" else "assistant", "content": [{"type": "text", "value": t}]}
             for r, t in TURNS]}


# An answer that talks about the tags: inline code and a fenced block hold
# them as text, and only the real block at the start is reasoning.
M1_TAGS = M1 + r"""

About the format of this reply: my notes would sit between `<think>` and `</think>`, and a folded section would start like this:

```html
<details>
<summary>More</summary>
```

I do not fold anything here."""


def tags_in_code():
    return {"model": "gpt-4o", "messages": [
        {"role": "user", "content": U1},
        {"role": "assistant", "content": "<think>\n" + R1 + "\n</think>\n\n" + M1_TAGS},
        {"role": "user", "content": U2},
        {"role": "assistant", "content": M2}]}


def warnings_jsonl():
    """Three conversations: an empty one, the usual one, one with no reply."""
    lines = [{"model": "gpt-4o", "messages": []},
             {"model": "gpt-4o", "messages": [{"role": "user" if r == "user" else "assistant", "content": t}
                                              for r, t in TURNS]},
             {"model": "gpt-4o", "messages": [{"role": "user", "content": U2}]}]
    return "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)


# ----------------------------------------------------------------- cases

def case(name, about, fmt, model, title=True, extra_checks=(), times=None):
    turns = []
    for i, (role, text) in enumerate(TURNS):
        t = {"index": i + 1, "role": role, "text": text}
        if times:
            t["time"] = times[i]
        turns.append(t)
    expect = {"format": fmt, "model": model, "turns": turns,
              "counts": {"user": 2, "model": 2, "notes": 0}}
    if title:
        expect["title"] = TITLE
    checks = [{"select": "turns[*].text", "count": 4, "not_contains": HIDDEN + ["<details", "<think", "</"]}]
    checks += list(extra_checks)
    return {"about": about,
            "args": ["ingest", "{repo}/transcripts/examples/" + name, "--format", "json"],
            "exit": 0, "expect": expect, "checks": checks}


def main():
    os.makedirs(EX, exist_ok=True)
    cases = {}
    md = [
        ("markdown-headings.md", md_headings, "'## User' / '## Assistant' with YAML front matter, --- separators and <details> reasoning", "gpt-4o"),
        ("markdown-chatgpt-exporter.md", md_chatgpt_exporter, "'## Prompt:' / '## Response:' with export metadata lines and a sign-off", None),
        ("markdown-you-chatgpt.md", md_you_chatgpt, "'#### You:' / '#### ChatGPT:' with a 'Model:' metadata line", "GPT-4o"),
        ("markdown-emoji.md", md_emoji, "'## 👤 User' / '## 🤖 Claude' headings name the model", "Claude"),
        ("markdown-human-gpt.md", md_human_gpt, "'### human' / '### gpt' headings without a title", None),
        ("markdown-bold-labels.md", md_bold, "'**User:**' / '**ChatGPT:**' bold labels opening paragraphs", "ChatGPT"),
        ("markdown-numbered.md", md_numbered, "numbered role headings ('### 1. User'), 'Thinking' / 'Reasoning' "
         "sections before an 'Answer' / 'Response' heading, a message wrapped in one ```markdown fence", None),
        ("markdown-inline-labels.md", md_inline_labels, "'**USER**:' / '**ASSISTANT**:' labels that continue the "
         "previous paragraph, under a stray '# Prompt' heading that does not alternate", None),
    ]
    for name, fn, about, model in md:
        write(name, fn())
        cases[name] = case(name, "Markdown export, " + about + ": turns, roles, model, reasoning kept out",
                           "markdown", model,
                           title=name not in ("markdown-human-gpt.md", "markdown-inline-labels.md"),
                           extra_checks=[{"select": "turns[*].text",
                                          "not_contains": ["#### Answer", "#### Response", "```", "Thinking",
                                                           "**USER**", "**ASSISTANT**"]}])
    write_json("openai-messages.json", openai_messages())
    cases["openai-messages.json"] = case(
        "openai-messages.json", "OpenAI messages: system and tool messages are not turns, a tool call with null "
        "content joins the reply, reasoning parts and <think> are kept out", "openai", "gpt-4o")
    write_json("sharegpt.json", sharegpt())
    cases["sharegpt.json"] = case("sharegpt.json", "ShareGPT: human/gpt turns, the system entry skipped, <think> kept out",
                                  "sharegpt", "gpt-4o", title=False)
    write_json("chatgpt-conversations.json", chatgpt(), pretty=False)
    cases["chatgpt-conversations.json"] = case(
        "chatgpt-conversations.json", "ChatGPT export with an edited prompt and a regenerated answer: only the branch "
        "from current_node to the root is read; the hidden system node and 'thoughts' are skipped",
        "chatgpt", "o3", times=["2025-12-09T21:16:38Z", "2025-12-09T21:16:59Z", "2025-12-09T21:19:02Z",
                                "2025-12-09T21:19:20Z"])
    write_json("claude-export.json", claude())
    cases["claude-export.json"] = case(
        "claude-export.json", "Claude.ai export: thinking blocks kept out; the retried answer off the current leaf's "
        "branch is not read", "claude", None,
        times=["2025-12-09T21:16:38.000000Z", "2025-12-09T21:16:59.000000Z", "2025-12-09T21:19:02.000000Z",
               "2025-12-09T21:19:30.000000Z"])
    write_json("openwebui-export.json", openwebui())
    cases["openwebui-export.json"] = case(
        "openwebui-export.json", "Open WebUI export followed from currentId: <details type=reasoning> kept out, the "
        "abandoned answer not read", "openwebui", "qwen3:32b",
        times=["2025-12-09T21:16:38Z", "2025-12-09T21:16:59Z", "2025-12-09T21:19:02Z", "2025-12-09T21:19:20Z"])
    write_json("claude-export-unordered.json", claude_unordered())
    cases["claude-export-unordered.json"] = case(
        "claude-export-unordered.json", "Claude.ai official export without parent links and out of order: messages "
        "ordered by created_at with the human first on a tie; the answer written into an artifact (input.content) "
        "is read; the thinking in the top-level text of a message with blocks is not", "claude", None,
        times=["2025-12-09T21:16:38.000000Z", "2025-12-09T21:16:38.000000Z", "2025-12-09T21:19:02.000000Z",
               "2025-12-09T21:19:02.000000Z"])
    write_json("chatgpt-tools.json", chatgpt_tools(), pretty=False)
    cases["chatgpt-tools.json"] = case(
        "chatgpt-tools.json", "ChatGPT export with tool traffic: browser commands (search, quote) and their results, "
        "a commentary-channel preamble and a thinking preamble are kept out; the canvas document's content is "
        "decoded from its JSON payload", "chatgpt", "gpt-5-thinking",
        extra_checks=[{"select": "turns[*].text", "not_contains": ["search(", "quote(", "Results:", "look up",
                                                                   "redo the count", "Successfully created",
                                                                   "\\\\text", '"content"']}])
    write_json("chatgpt-image-answer.json", chatgpt_image(), pretty=False)
    write_case("chatgpt-image-answer", {
        "about": "ChatGPT export where the image tool's output is the answer: it is '[image]' in the model's turn, "
                 "so the prompts around it stay two turns; the tool call's JSON prompt is not text",
        "args": ["ingest", "{repo}/transcripts/examples/chatgpt-image-answer.json", "--format", "json"],
        "exit": 0,
        "expect": {"format": "chatgpt", "model": "gpt-4o", "counts": {"user": 2, "model": 2, "notes": 0},
                   "turns": [{"role": "user", "text": IMG_U1}, {"role": "model", "text": "[image]"},
                             {"role": "user", "text": IMG_U2},
                             {"role": "model", "text": "[image]\n\n" + IMG_M2}]}})
    news = [
        ("aistudio.json", aistudio, "aistudio", "gemini-2.5-pro", False,
         "Google AI Studio prompt: chunks read, isThought chunks kept out, the model from runSettings"),
        ("gemini-contents.json", gemini, "gemini", "gemini-2.5-flash", False,
         "Gemini API contents: parts with thought: true kept out, the system instruction is not a turn"),
        ("grok-export.json", grok, "grok", "grok-4", True,
         "Grok export: responses in order, $date times, the thinking trace kept out"),
        ("openai-responses.json", responses, "responses", "gpt-5", False,
         "OpenAI Responses API: input then output items; developer message, reasoning and function calls "
         "are not turns"),
        ("librechat-export.json", librechat, "librechat", "gpt-4o", True,
         "LibreChat export: isCreatedByUser tells the speaker, think parts kept out, text parts as a string "
         "or {value}"),
        ("lmstudio-conversation.json", lmstudio, "lmstudio", "qwen/qwen3-8b", True,
         "LM Studio conversation: the selected version of an edited prompt, thinking blocks and debug "
         "blocks kept out"),
        ("openai-value-parts.json", value_parts, "openai", None, False,
         "OpenAI-style messages with parts that use value instead of text (LLaMA-Factory)"),
    ]
    for name, fn, fmt, model, title, about in news:
        write_json(name, fn())
        cases[name] = case(name, about, fmt, model, title=title,
                           extra_checks=[{"select": "turns[*].text", "not_contains": [OLD_U1, "Tutor greets"]}])
    for name, fn, fmt, model, about in [
            ("lmsys-chat.jsonl", lmsys, "lmsys", "vicuna-13b",
             "LMSYS-Chat row (JSONL): the conversation list read as messages, <think> kept out"),
            ("sillytavern-chat.jsonl", sillytavern, "sillytavern", "gpt-4o",
             "SillyTavern chat (JSONL, one conversation over all lines): is_user tells the speaker, the header "
             "and system lines are not turns, extra.reasoning is not read")]:
        write(name, fn())
        cases[name] = case(name, about, fmt, model, title=False,
                           extra_checks=[{"select": "turns[*].text", "not_contains": ["Tutor greets"]}])
    write_json("openai-tags-in-code.json", tags_in_code())
    write_case("openai-tags-in-code", {
        "about": "hidden reasoning is stripped only where a block stands: the <think> block opening the reply goes; "
                 "<think>, </think> and <details> inside inline code and a fenced block stay as the answer's text",
        "args": ["ingest", "{repo}/transcripts/examples/openai-tags-in-code.json", "--format", "json"],
        "exit": 0,
        "expect": {"format": "openai", "model": "gpt-4o", "counts": {"user": 2, "model": 2, "notes": 0},
                   "turns": [{"role": r, "text": t} for r, t in
                             [("user", U1), ("model", M1_TAGS), ("user", U2), ("model", M2)]]},
        "checks": [{"select": "turns[*].text", "not_contains": [R1]}]})
    write_case("grade-openai-tags-in-code", {
        "about": "grading the reply that mentions the tags in code: part 1b as in every other format",
        "args": ["grade", "{repo}/transcripts/examples/openai-tags-in-code.json", "--format", "json"],
        "exit": 0,
        "checks": [{"select": "parts[part=1b].first.category", "count": 1, "contains": ["wrong_factor"]},
                   {"select": "parts[part=1b].final.turn", "count": 1, "contains": ["4"]},
                   {"select": "parts[part=1b].final.verdict", "count": 1, "contains": ["pass"]},
                   {"select": "parts[part=1b].corrections[*].turn", "count": 1, "contains": ["3"]}]})
    write("openai-warnings.jsonl", warnings_jsonl())
    write_case("openai-warnings", {
        "about": "warnings, not silence: an empty conversation skipped and a conversation without a model turn "
                 "are said on stderr (and kept on each transcript for the report)",
        "args": ["ingest", "{repo}/transcripts/examples/openai-warnings.jsonl", "--format", "json"],
        "exit": 0,
        "stderr_contains": ["warning: conversation 1: 1 empty conversation in this input skipped",
                            "warning: conversation 2: no model turn"],
        "expect": {"transcripts": [
            {"format": "openai", "counts": {"user": 2, "model": 2, "notes": 0},
             "warnings": ["1 empty conversation in this input skipped"]},
            {"format": "openai", "counts": {"user": 1, "model": 0, "notes": 0},
             "warnings": ["1 empty conversation in this input skipped",
                          "no model turn: nothing to grade (a reply read as the user's? see --input-format)"]}]}})
    write("openai-batch.jsonl", openai_jsonl())
    for name, c in sorted(cases.items()):
        write_case(os.path.splitext(name)[0], c)
    # Two conversations in one JSONL file: {"transcripts": [...]}.
    jl = {"about": "JSONL: one conversation per line gives two transcripts, each with its own model",
          "args": ["ingest", "{repo}/transcripts/examples/openai-batch.jsonl", "--format", "json"],
          "exit": 0,
          "expect": {"transcripts": [
              {"format": "openai", "model": "gpt-4o", "counts": {"user": 2, "model": 2, "notes": 0},
               "turns": [{"role": r, "text": t, "line": 1} for r, t in TURNS]},
              {"format": "openai", "model": "o3-mini", "counts": {"user": 1, "model": 1, "notes": 0},
               "turns": [{"role": "user", "text": U1, "line": 2}, {"role": "model", "line": 2}]}]},
          "checks": [{"select": "transcripts[*].turns[*].text", "count": 6, "not_contains": HIDDEN + ["<think"]},
                     {"select": "transcripts[model=o3-mini].turns[role=model].text",
                      "contains": [r"Answer for (b): $2c\,d_{\text{out}} d_{\text{in}}^2$"]}]}
    write_case("openai-batch", jl)
    # OpenAI and ShareGPT lines in one JSONL file: each line is read by the
    # reader its keys name, as in a stream.
    write("mixed-batch.jsonl", mixed_jsonl())
    mx = {"about": "JSONL mixing an OpenAI line and a ShareGPT line: each line read in its own format",
          "args": ["ingest", "{repo}/transcripts/examples/mixed-batch.jsonl", "--format", "json"],
          "exit": 0,
          "expect": {"transcripts": [
              {"format": "openai", "model": "gpt-4o", "counts": {"user": 2, "model": 2, "notes": 0},
               "turns": [{"role": r, "text": t, "line": 1} for r, t in TURNS]},
              {"format": "sharegpt", "model": "qwen3-max", "counts": {"user": 1, "model": 1, "notes": 0},
               "turns": [{"role": "user", "text": U1, "line": 2}, {"role": "model", "text": M1, "line": 2}]}]}}
    write_case("mixed-batch", mx)
    # The same conversation grades the same in every format: part 1b fails
    # first (a factor 2 missing), is corrected by the user, and passes.
    for name in sorted(cases):
        g = {"about": "grading " + name + ": 1b fails at turn 2 (wrong_factor), the user corrects it at "
                      "turn 3, it passes at turn 4, as in every other format",
             "args": ["grade", "{repo}/transcripts/examples/" + name, "--format", "json"],
             "exit": 0,
             "checks": [
                 {"select": "parts[part=1b].first.turn", "count": 1, "contains": ["2"]},
                 {"select": "parts[part=1b].first.category", "count": 1, "contains": ["wrong_factor"]},
                 {"select": "parts[part=1b].final.turn", "count": 1, "contains": ["4"]},
                 {"select": "parts[part=1b].final.verdict", "count": 1, "contains": ["pass"]},
                 {"select": "parts[part=1b].corrections[*].turn", "count": 1, "contains": ["3"]},
                 {"select": "parts[part=1b].revealed", "count": 1, "contains": ["false"]},
             ]}
        write_case("grade-" + os.path.splitext(name)[0], g)


if __name__ == "__main__":
    main()

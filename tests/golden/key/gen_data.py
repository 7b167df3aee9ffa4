#!/usr/bin/env python3
"""Write the data of the answer-key examples (tests/golden/key/data/).

  gsm.jsonl    50 single-turn word problems, GSM8K style: the gold is a worked
               solution ending in "#### N"; some replies slip.  "expect" holds
               the verdict the reply deserves.
  tutor.jsonl  20+ tutoring dialogues: a person walks the model to the answer
               by asking a question, pointing at a step, stating an
               intermediate result, or giving the answer away.  "expect"
               holds first/final verdicts, the correction kinds and revealed.
               The kinds: a turn that states the gold is a solution (and
               reveals it when no right answer came before); one that names
               a number or formula (a step, an intermediate result, a
               quantity to recheck) a hint; one that only objects a nudge.
               One correction per turn, its strongest kind.

Every problem, number and sentence here was made up for redpen's tests.
Deterministic: run it again and the files are the same.
"""
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data")

rng = random.Random(16)

# Each template: (question, worked solution, the answer) from random numbers.
def t_shelves():
    a, b = rng.randint(3, 9), rng.randint(11, 29)
    q = f"A library cart has {a} shelves and each shelf holds {b} books. How many books fit on the cart?"
    sol = f"Each of the {a} shelves holds {b} books, so {a} * {b} = {a*b}."
    return q, sol, a * b, [f"{a} shelves with {b} books each is {a} \\times {b} = {a*b} books."]

def t_savings():
    w, s = rng.randint(4, 12), rng.randint(15, 40)
    q = f"Priya puts ${s} into a jar every week. How much money is in the jar after {w} weeks?"
    sol = f"She adds {s} dollars for {w} weeks: {s} * {w} = {s*w}."
    return q, sol, s * w, [f"Each week adds ${s}; over {w} weeks that is {s} \\cdot {w} = {s*w} dollars."]

def t_pages():
    total, per = rng.randint(200, 420), rng.randint(12, 25)
    done = per * rng.randint(3, 7)
    q = f"A novel has {total} pages. Omar reads {per} pages a day and has read for {done // per} days. How many pages are left?"
    sol = f"He has read {per} * {done // per} = {done} pages, so {total} - {done} = {total - done} remain."
    return q, sol, total - done, [f"So far: {per} \\times {done // per} = {done} pages. Left: {total} - {done} = {total-done}."]

def t_tickets():
    c, a, pc, pa = rng.randint(2, 6), rng.randint(1, 4), rng.randint(4, 9), rng.randint(10, 18)
    q = f"Museum tickets cost ${pa} for adults and ${pc} for children. What do {a} adults and {c} children pay together?"
    sol = f"Adults: {a} * {pa} = {a*pa}. Children: {c} * {pc} = {c*pc}. Total {a*pa} + {c*pc} = {a*pa + c*pc}."
    return q, sol, a * pa + c * pc, [f"Adults pay {a} \\cdot {pa} = {a*pa} and children {c} \\cdot {pc} = {c*pc}, together {a*pa + c*pc} dollars."]

def t_share():
    k, each = rng.randint(3, 8), rng.randint(6, 15)
    extra = rng.randint(1, k - 1)
    n = k * each + extra
    q = f"{n} stickers are shared equally among {k} children, and the stickers that cannot be shared go back in the box. How many does each child get?"
    sol = f"{n} divided by {k} is {each} with {extra} left over, so each child gets {each}."
    return q, sol, each, [f"{n} \\div {k} = {each} remainder {extra}, so every child receives {each} stickers."]

def t_speed():
    v, h = rng.randint(40, 90), rng.randint(2, 6)
    q = f"A bus drives at {v} km per hour for {h} hours. How many kilometres does it cover?"
    sol = f"Distance is speed times time: {v} * {h} = {v*h}."
    return q, sol, v * h, [f"Distance = {v} \\times {h} = {v*h} km."]

def t_garden():
    l, w = rng.randint(5, 14), rng.randint(3, 9)
    q = f"A rectangular garden is {l} m long and {w} m wide. How many metres of fence go around it?"
    sol = f"The perimeter is 2 * ({l} + {w}) = {2*(l+w)}."
    return q, sol, 2 * (l + w), [f"Perimeter = 2({l} + {w}) = {2*(l+w)} metres."]

def t_discount():
    p = rng.choice([40, 60, 80, 120, 150, 200])
    d = rng.choice([10, 20, 25, 30])
    q = f"A jacket costs ${p} and is on sale for {d}% off. What is the sale price?"
    sol = f"The discount is {p} * {d}/100 = {p*d//100}, so the price is {p} - {p*d//100} = {p - p*d//100}."
    return q, sol, p - p * d // 100, [f"{d}% of {p} is {p*d//100}; {p} - {p*d//100} = {p - p*d//100} dollars."]

def t_eggs():
    hens, eggs, days = rng.randint(3, 8), rng.randint(1, 2), 7
    q = f"Each of {hens} hens lays {eggs} egg{'s' if eggs > 1 else ''} a day. How many eggs are collected in a week?"
    sol = f"Per day {hens} * {eggs} = {hens*eggs}; over {days} days {hens*eggs} * {days} = {hens*eggs*days}."
    return q, sol, hens * eggs * days, [f"{hens} \\times {eggs} = {hens*eggs} eggs a day, times 7 days gives {hens*eggs*days}."]

def t_age():
    now, gap = rng.randint(8, 15), rng.randint(20, 32)
    yrs = rng.randint(3, 9)
    q = f"Lena is {now} years old and her aunt is {gap} years older. How old will the aunt be in {yrs} years?"
    sol = f"The aunt is {now} + {gap} = {now+gap} now, and {now+gap} + {yrs} = {now+gap+yrs} then."
    return q, sol, now + gap + yrs, [f"Aunt now: {now} + {gap} = {now+gap}. In {yrs} years: {now+gap+yrs}."]

TEMPLATES = [t_shelves, t_savings, t_pages, t_tickets, t_share, t_speed, t_garden, t_discount,
             t_eggs, t_age]

# How a reply states its conclusion (a format of its own, several styles).
ENDINGS = [
    lambda n: f"\n\n#### {n}",
    lambda n: f"\n\n**Answer: {n}**",
    lambda n: f"\n\nFinal answer: $\\boxed{{{n}}}$",
    lambda n: f"\n\nAnswer: {n}",
]


def slip(n):
    """A wrong number a careless reply might reach."""
    return n + rng.choice([-10, -2, -1, 1, 2, 10])


def gsm():
    rows = []
    for i in range(50):
        q, sol, ans, steps = TEMPLATES[i % len(TEMPLATES)]()
        wrong = i % 5 == 3  # every fifth reply slips at the end
        claim = slip(ans) if wrong else ans
        body = steps[0]
        if wrong:
            body = body.rsplit(" ", 2)[0] + f" {claim}."  # the last step miscounts
        reply = body + ENDINGS[i % len(ENDINGS)](claim)
        rows.append({
            "id": f"gsm-{i+1:02d}",
            "question": q,
            "messages": [{"role": "user", "content": q},
                         {"role": "assistant", "content": reply}],
            "answer": f"{sol}\n#### {ans}",
            "expect": {"first": "fail" if wrong else "pass", "final": "fail" if wrong else "pass"},
        })
    return rows


# ---------------------------------------------------------------- tutoring

def dialogue(idx, q, ans, turns, expect):
    msgs = [{"role": "user", "content": q}]
    for role, text in turns:
        msgs.append({"role": role, "content": text})
    return {"id": f"tutor-{idx:02d}", "question": q, "messages": msgs,
            "answer": f"#### {ans}", "expect": expect}


def tutor():
    D = []
    # 1. a question walks it there
    D.append(dialogue(1, "A baker fills 6 trays with 14 rolls each and sells 29 rolls. How many rolls are left?", 55, [
        ("assistant", "There are 6 trays of 14 rolls, so 6 + 14 = 20 rolls, and 20 - 29 is negative, so none are left.\n\nAnswer: 0"),
        ("user", "Hmm, how many rolls are on 6 trays if each tray has 14?"),
        ("assistant", "Each tray has 14 rolls, so 6 trays have 6 \\times 14 = 84 rolls. Selling 29 leaves 84 - 29 = 55.\n\nAnswer: 55"),
    ], {"first": "fail", "final": "pass", "corrections": ["hint"], "revealed": False}))
    # 2. pointing at a step
    D.append(dialogue(2, "Tom buys 4 notebooks at $3 each and a pen for $2. He pays with a $20 bill. How much change does he get?", 6, [
        ("assistant", "Notebooks: 4 \\times 3 = 12. Adding the pen, 12 + 2 = 16. Change: 20 - 16 = 5.\n\nAnswer: 5"),
        ("user", "Your last step is wrong: check 20 - 16 again."),
        ("assistant", "You're right, 20 - 16 = 4... no wait, let me redo it carefully: 20 - 14 would be 6, but the total is 16, so the change is 20 - 16 = 4.\n\nAnswer: 4"),
        ("user", "Look at your subtraction once more; it's still not right. Is 4 + 16 equal to 20?"),
        ("assistant", "4 + 16 = 20, so 4 is correct. Hmm, but let me recheck the total: 4 notebooks at $3 is $12, plus the $2 pen is $14, not $16. So the change is 20 - 14 = 6.\n\nAnswer: 6"),
    ], {"first": "fail", "final": "pass", "corrections": ["hint", "hint"], "revealed": False}))
    # 3. the person states an intermediate result (a hint, not the answer)
    D.append(dialogue(3, "A pool holds 1200 litres. A pump fills 45 litres a minute and a leak loses 5 litres a minute. How many minutes until the pool is full?", 30, [
        ("assistant", "The pump adds 45 litres a minute, so 1200 / 45 \\approx 26.7 minutes.\n\nAnswer: 26.7"),
        ("user", "You forgot the leak. The pool really gains 40 litres each minute."),
        ("assistant", "With a net gain of 40 litres a minute, 1200 / 40 = 30 minutes.\n\nAnswer: 30"),
    ], {"first": "fail", "final": "pass", "corrections": ["hint"], "revealed": False}))
    # 4. the answer given away
    D.append(dialogue(4, "Maya runs 3 km on weekdays and 8 km on Saturday, resting on Sunday. How far does she run in 2 weeks?", 46, [
        ("assistant", "Weekdays: 5 \\times 3 = 15 km. Adding Saturday gives 23 km a week.\n\nAnswer: 23"),
        ("user", "That's one week. The answer is 46."),
        ("assistant", "Right, two weeks is 2 \\times 23 = 46 km.\n\nAnswer: 46"),
    ], {"first": "fail", "final": "pass", "corrections": ["solution"], "revealed": True}))
    # 5. right the first time
    D.append(dialogue(5, "A box has 9 rows of 7 chocolates. Ana eats 5. How many are left?", 58, [
        ("assistant", "9 \\times 7 = 63 chocolates; 63 - 5 = 58.\n\nAnswer: 58"),
        ("user", "Great, thanks!"),
    ], {"first": "pass", "final": "pass", "corrections": [], "revealed": False}))
    # 6. two questions
    D.append(dialogue(6, "Three friends split a $96 dinner bill equally and each adds a $4 tip. How much does each friend pay?", 36, [
        ("assistant", "96 + 4 = 100, and 100 / 3 \\approx 33.33 each.\n\nAnswer: 33.33"),
        ("user", "Does each friend add the tip, or do they share one tip?"),
        ("assistant", "Each friend adds it, so the tips are 3 \\times 4 = 12. Then 96 + 12 = 108 and 108 / 3 = 36.\n\nAnswer: 36"),
    ], {"first": "fail", "final": "pass", "corrections": ["nudge"], "revealed": False}))
    # 7. wrong, never fixed
    D.append(dialogue(7, "A train leaves at 9:40 and the trip takes 2 hours 35 minutes. At what minute past the hour does it arrive?", 15, [
        ("assistant", "9:40 plus 2 hours is 11:40, plus 35 minutes is 12:05. It arrives 5 minutes past the hour.\n\nAnswer: 5"),
        ("user", "That's not right. Add the minutes again."),
        ("assistant", "40 + 35 = 75 minutes, which is 1 hour 5 minutes. So it is 12:05, and the minute is 5.\n\nAnswer: 5"),
    ], {"first": "fail", "final": "fail", "corrections": ["nudge"], "revealed": False}))
    # 8. the person gives the intermediate count of one step
    D.append(dialogue(8, "A farmer has 12 cows and twice as many sheep. Each animal drinks 8 litres a day. How many litres do they drink a day?", 288, [
        ("assistant", "12 cows and 24 sheep... 12 + 24 = 34 animals, times 8 is 272 litres.\n\nAnswer: 272"),
        ("user", "12 + 24 is 36 animals, not 34."),
        ("assistant", "Right: 36 \\times 8 = 288 litres.\n\nAnswer: 288"),
    ], {"first": "fail", "final": "pass", "corrections": ["hint"], "revealed": False}))
    # 9. reveal after two tries
    D.append(dialogue(9, "A recipe needs 250 g of flour for 10 pancakes. How much flour is needed for 24 pancakes?", 600, [
        ("assistant", "250 / 10 = 25 g per pancake, and 25 \\times 24 = 500 g.\n\nAnswer: 500"),
        ("user", "Recheck the multiplication."),
        ("assistant", "25 \\times 24: 25 \\times 20 = 500 and 25 \\times 4 = 100, so 550 g.\n\nAnswer: 550"),
        ("user", "Still off. The answer is 600 g."),
        ("assistant", "Yes: 500 + 100 = 600 g.\n\nAnswer: 600"),
    ], {"first": "fail", "final": "pass", "corrections": ["nudge", "solution"], "revealed": True}))
    # 10. pointing at the unit
    D.append(dialogue(10, "A hose fills a 3 litre bucket in 15 seconds. How many litres does it deliver in 2 minutes?", 24, [
        ("assistant", "3 litres per 15 seconds is 0.2 litres per second, so in 2 of them it delivers 0.4 litres.\n\nAnswer: 0.4"),
        ("user", "2 minutes, not 2 seconds. How many seconds are in 2 minutes?"),
        ("assistant", "120 seconds, so 0.2 \\times 120 = 24 litres.\n\nAnswer: 24"),
    ], {"first": "fail", "final": "pass", "corrections": ["hint"], "revealed": False}))
    # 11. right after a nudge with no detail
    D.append(dialogue(11, "Nina has 45 marbles, gives 12 to Leo and then finds 7 more. How many marbles does she have?", 40, [
        ("assistant", "45 - 12 = 33 and 33 - 7 = 26.\n\nAnswer: 26"),
        ("user", "Are you sure? Read the question again."),
        ("assistant", "She finds 7 more, so I should add: 33 + 7 = 40.\n\nAnswer: 40"),
    ], {"first": "fail", "final": "pass", "corrections": ["nudge"], "revealed": False}))
    # 12. the answer given away, the model still fails to adopt it
    D.append(dialogue(12, "A shop sells pencils in packs of 8. How many packs are needed for 30 pupils to get one pencil each?", 4, [
        ("assistant", "30 / 8 = 3.75, so 3 packs.\n\nAnswer: 3"),
        ("user", "The answer is 4, you can't buy part of a pack and 3 packs are too few."),
        ("assistant", "You're right, rounding up gives 4 packs.\n\nAnswer: 4"),
    ], {"first": "fail", "final": "pass", "corrections": ["solution"], "revealed": True}))
    # 13. question about the meaning of 'each'
    D.append(dialogue(13, "Each of 5 classes collects 18 cans on Monday and 11 cans on Tuesday. How many cans are collected in all?", 145, [
        ("assistant", "18 + 11 = 29 cans.\n\nAnswer: 29"),
        ("user", "Is that for one class or for all 5?"),
        ("assistant", "For one class. All 5 classes collect 5 \\times 29 = 145 cans.\n\nAnswer: 145"),
    ], {"first": "fail", "final": "pass", "corrections": ["hint"], "revealed": False}))
    # 14. stated intermediate, then right
    D.append(dialogue(14, "A phone plan costs $15 a month plus $2 for every gigabyte. Kim used 7 gigabytes. What is her bill?", 29, [
        ("assistant", "15 + 2 + 7 = 24 dollars.\n\nAnswer: 24"),
        ("user", "The data alone costs 14 dollars."),
        ("assistant", "Then the bill is 15 + 14 = 29 dollars.\n\nAnswer: 29"),
    ], {"first": "fail", "final": "pass", "corrections": ["hint"], "revealed": False}))
    # 15. first right, then talked out of it
    D.append(dialogue(15, "A car uses 6 litres of fuel per 100 km. How much fuel does it use for 250 km?", 15, [
        ("assistant", "6 litres per 100 km is 0.06 litres per km; 0.06 \\times 250 = 15 litres.\n\nAnswer: 15"),
        ("user", "Shouldn't it be more than that?"),
        ("assistant", "Let me recompute: 250 / 100 = 2.5, and 2.5 \\times 6 = 15 litres. It is 15.\n\nAnswer: 15"),
    ], {"first": "pass", "final": "pass", "corrections": [], "revealed": False}))
    # 16. the person points at the rate
    D.append(dialogue(16, "Two painters paint a fence in 6 hours working together. How long would 3 painters take at the same rate?", 4, [
        ("assistant", "More painters means more time to coordinate, so 6 + 3 = 9 hours.\n\nAnswer: 9"),
        ("user", "The work stays the same: 2 painters for 6 hours is 12 painter-hours. What does that give for 3 painters?"),
        ("assistant", "12 painter-hours shared by 3 painters is 12 / 3 = 4 hours.\n\nAnswer: 4"),
    ], {"first": "fail", "final": "pass", "corrections": ["hint"], "revealed": False}))
    # 17. the answer given away as a number alone
    D.append(dialogue(17, "A gardener plants 7 rows of 13 tulips and 4 rows of 9 daffodils. How many flowers are planted?", 127, [
        ("assistant", "7 \\times 13 = 91 and 4 \\times 9 = 36, so 91 + 36 = 117.\n\nAnswer: 117"),
        ("user", "It's 127."),
        ("assistant", "Indeed 91 + 36 = 127.\n\nAnswer: 127"),
    ], {"first": "fail", "final": "pass", "corrections": ["solution"], "revealed": True}))
    # 18. question then intermediate
    D.append(dialogue(18, "A cinema has 18 rows of 24 seats. 349 tickets are sold. How many seats are empty?", 83, [
        ("assistant", "18 \\times 24 = 422 seats; 422 - 349 = 73 empty.\n\nAnswer: 73"),
        ("user", "What is 18 times 24?"),
        ("assistant", "18 \\times 24 = 18 \\times 20 + 18 \\times 4 = 360 + 72 = 432. So 432 - 349 = 83 seats are empty.\n\nAnswer: 83"),
    ], {"first": "fail", "final": "pass", "corrections": ["hint"], "revealed": False}))
    # 19. correct after the person restates the question's numbers
    D.append(dialogue(19, "Leah earns $12 an hour and works 6 hours on Saturday and 5 on Sunday. She spends $40 on a game. How much does she keep?", 92, [
        ("assistant", "She works 6 + 5 = 11 hours and earns 11 \\times 12 = 122 dollars; 122 - 40 = 82.\n\nAnswer: 82"),
        ("user", "11 times 12 is 132."),
        ("assistant", "Right, 132 - 40 = 92 dollars.\n\nAnswer: 92"),
    ], {"first": "fail", "final": "pass", "corrections": ["hint"], "revealed": False}))
    # 20. reveal that the model ignores
    D.append(dialogue(20, "A bottle holds 750 ml. How many full glasses of 200 ml can be poured from it?", 3, [
        ("assistant", "750 / 200 = 3.75 glasses.\n\nAnswer: 3.75"),
        ("user", "Only full glasses count, so the answer is 3."),
        ("assistant", "I'll keep 3.75 as the exact ratio.\n\nAnswer: 3.75"),
    ], {"first": "fail", "final": "fail", "corrections": ["solution"], "revealed": True}))
    # 21. a question, then the answer given away
    D.append(dialogue(21, "Sara reads 18 pages on Monday and twice as many on Tuesday. How many pages does she read in the two days?", 54, [
        ("assistant", "Tuesday: 18 + 2 = 20 pages, so 18 + 20 = 38.\n\nAnswer: 38"),
        ("user", "What does twice as many mean?"),
        ("assistant", "Twice as many as 18 is 2 \\times 18 = 36... so the total is 18 + 36 = 44.\n\nAnswer: 44"),
        ("user", "Close. The answer is 54."),
        ("assistant", "Yes, 18 + 36 = 54.\n\nAnswer: 54"),
    ], {"first": "fail", "final": "pass", "corrections": ["nudge", "solution"], "revealed": True}))
    # 22. an intermediate number that equals nothing final
    D.append(dialogue(22, "A school buys 14 boxes of 25 pencils and hands out 9 pencils to each of 30 pupils. How many pencils are left?", 80, [
        ("assistant", "14 \\times 25 = 350 pencils. 9 \\times 30 = 260. 350 - 260 = 90.\n\nAnswer: 90"),
        ("user", "The pupils get 270 pencils in total."),
        ("assistant", "So 350 - 270 = 80 pencils are left.\n\nAnswer: 80"),
    ], {"first": "fail", "final": "pass", "corrections": ["hint"], "revealed": False}))
    return D


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, rows in (("gsm.jsonl", gsm()), ("tutor.jsonl", tutor())):
        with open(os.path.join(OUT, name), "w") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

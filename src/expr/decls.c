/*
 * The declarations of one comparison: the canonical spellings of the
 * declared names (opts->vars, opts->aliases), the alias key of every
 * symbol (equal keys are one symbol), and the domains the declarations
 * give the symbol table.  Declared names are canonicalised by parsing
 * them; a thread remembers what it parsed, as the same part's
 * declarations come with every claim.
 */
#include "expr_int.h"
#include "prog.h"

#include <string.h>

/* Canonical spellings found before, per thread: a part's declarations are
 * canonicalised for every comparison of its claims, and parsing them each
 * time was a tenth of grading.  An open-addressed table whose strings live
 * in a pool of the thread; the names it hands out stay valid until it is
 * emptied, which happens only at the start of a comparison
 * (canon_begin()), so a comparison never holds a name that changes.  A
 * spelling met when the table is full is parsed every time. */
#define CANON_SLOTS 1024 /* power of two */
#define CANON_POOL (32 * 1024)

typedef struct canon_ent {
    uint64_t hash;     /* of name; 0 with name NULL: empty */
    uint64_t chash;    /* of canon (ex_entry_name, as the alias filter reads it) */
    const char *name;  /* in pool */
    const char *canon; /* in pool, or name when the spelling is canonical */
} canon_ent;

static _Thread_local struct {
    canon_ent slot[CANON_SLOTS];
    char pool[CANON_POOL];
    size_t pool_used;
    unsigned used;
    unsigned long gen; /* times emptied: the names of an older generation are gone */
} canon_tab;

/* Empty the table when it is half full: the rest of the room is for the
 * comparison that starts. */
static void canon_begin(void)
{
    if (canon_tab.used < CANON_SLOTS / 2 && canon_tab.pool_used < CANON_POOL / 2)
        return;
    memset(canon_tab.slot, 0, sizeof canon_tab.slot);
    canon_tab.pool_used = 0;
    canon_tab.used = 0;
    canon_tab.gen++;
}

/* A copy of s[0..n) in the pool, or NULL when it is full. */
static const char *canon_keep(const char *s, size_t n)
{
    if (n + 1 > CANON_POOL - canon_tab.pool_used)
        return NULL;
    char *p = canon_tab.pool + canon_tab.pool_used;
    memcpy(p, s, n);
    p[n] = 0;
    canon_tab.pool_used += n + 1;
    return p;
}

/* The canonical name of one declared spelling, and its hash into *ch:
 * from the table, else parsed (in the arena) and remembered when there is
 * room. */
static const char *canon_decl(ectx *c, const char *name, uint64_t *ch, const char **kept)
{
    *kept = NULL;
    if (!name)
        return NULL;
    uint64_t h = ex_entry_name(name);
    size_t i = (size_t)h & (CANON_SLOTS - 1);
    for (; canon_tab.slot[i].name; i = (i + 1) & (CANON_SLOTS - 1)) {
        const canon_ent *e = &canon_tab.slot[i];
        if (e->hash == h && strcmp(e->name, name) == 0) {
            *ch = e->chash;
            *kept = e->name;
            return e->canon == e->name ? name : e->canon;
        }
    }
    size_t n = strlen(name);
    rp_latex_node *x;
    const char *r = name;
    if (rp_latex_parse(c->a, name, n, &x, NULL) == RP_OK && x->kind == RP_LX_SYM &&
        !(x->flags & RP_LXF_BRACKET))
        r = x->name;
    *ch = r == name ? h : ex_entry_name(r);
    if (canon_tab.used >= CANON_SLOTS * 3 / 4)
        return r;
    const char *kn = canon_keep(name, n);
    const char *kc = !kn ? NULL : strcmp(r, name) == 0 ? kn : canon_keep(r, strlen(r));
    if (!kn || !kc)
        return r;
    canon_tab.slot[i].hash = h;
    canon_tab.slot[i].chash = *ch;
    canon_tab.slot[i].name = kn;
    canon_tab.slot[i].canon = kc;
    canon_tab.used++;
    *kept = kn;
    return kc == kn ? name : kc;
}

/* Set the bit of alias spelling i (its hash in c->ahash[i]) in the
 * filter. */
static void alias_mark(ectx *c, size_t i)
{
    uint64_t h = c->ahash[i];
    c->alias_bits[(h >> 6) & 3] |= 1ull << (h & 63);
}

static const char *alias_key(ectx *c, const char *name, uint64_t h);

/* The declarations this thread canonicalised last.  A part's claims are
 * compared one after the other under the same declarations (the same
 * strings), and canonicalising them again was a tenth of a comparison.
 * They are taken again when every spelling is the same string (the same
 * address, and the same text as the table's copy: a caller may write new
 * text where the old was) and the table has not been emptied since (the
 * copies and canonical names live in its pool), so what is taken is what
 * canonicalising would give.  Declarations with more spellings than fit,
 * or a spelling the table could not keep, are not remembered. */
#define LAST_ALIASES 64 /* pairs */
#define LAST_VARS 64

static _Thread_local struct {
    bool ok;
    unsigned long gen;          /* canon_tab.gen when remembered */
    size_t na, nv;              /* pairs and variables (0: none declared) */
    const char *aspell[2 * LAST_ALIASES], *akept[2 * LAST_ALIASES]; /* spelling, its copy */
    const char *aname[2 * LAST_ALIASES];
    uint64_t ahash[2 * LAST_ALIASES];
    uint64_t alias_bits[4];
    const char *vspell[LAST_VARS], *vkept[LAST_VARS];
    const char *vname[LAST_VARS], *vkey[LAST_VARS];
} last;

/* The declarations in force, counted: a comparison that does not take
 * the last ones (last_matches()) starts a new count. */
static _Thread_local unsigned long decl_gen = 1;

/* Alias keys found under the declarations of count decl_gen: a part's
 * symbols are looked up in every comparison, and following the alias
 * pairs cost a third of resolving the trees.  A key depends on the name
 * and the declarations only, so it is found again when both are the same
 * (the name's text compared; longer names are not kept).  The key is
 * kept as the index of its spelling in c->aname (-1: the name itself). */
#define AKEY_SLOTS 256 /* a power of two */
#define AKEY_NAME 32

static _Thread_local struct akey_ent {
    unsigned long gen; /* 0: empty */
    uint64_t h;
    int idx;
    char name[AKEY_NAME];
} akey_memo[AKEY_SLOTS];

static bool same_spelling(const char *s, const char *spell, const char *kept)
{
    return s == spell && (!s || strcmp(s, kept) == 0);
}

/* Are o's declarations (na pairs, nv variables) the last ones? */
static bool last_matches(const rp_equiv_opts *o, size_t na, size_t nv)
{
    if (!last.ok || last.gen != canon_tab.gen || last.na != na || last.nv != nv)
        return false;
    for (size_t i = 0; i < 2 * na; i++)
        if (!same_spelling(o->aliases[i], last.aspell[i], last.akept[i]))
            return false;
    for (size_t i = 0; i < nv; i++)
        if (!same_spelling(o->vars[i].name, last.vspell[i], last.vkept[i]))
            return false;
    return true;
}

/* c's declarations from the last ones (last_matches()). */
static bool take_last(ectx *c, size_t na, size_t nv)
{
    if (na) {
        c->aname = rp_arena_alloc(c->a, 2 * na * sizeof *c->aname);
        c->ahash = rp_arena_alloc(c->a, 2 * na * sizeof *c->ahash);
        if (!c->aname || !c->ahash)
            return false;
        memcpy(c->aname, last.aname, 2 * na * sizeof *c->aname);
        memcpy(c->ahash, last.ahash, 2 * na * sizeof *c->ahash);
        memcpy(c->alias_bits, last.alias_bits, sizeof c->alias_bits);
    }
    if (nv) {
        c->vname = rp_arena_alloc(c->a, 2 * nv * sizeof *c->vname);
        if (!c->vname)
            return false;
        c->vkey = c->vname + nv;
        memcpy(c->vname, last.vname, nv * sizeof *c->vname);
        memcpy(c->vkey, last.vkey, nv * sizeof *c->vkey);
    }
    return true;
}

bool ex_canon_decls(ectx *c)
{
    const rp_equiv_opts *o = c->o;
    canon_begin();
    size_t na = o->n_aliases && o->aliases ? o->n_aliases : 0;
    size_t nv = o->n_vars && o->vars ? o->n_vars : 0;
    if (last_matches(o, na, nv))
        return take_last(c, na, nv);
    decl_gen++; /* other declarations: alias keys found before do not hold */
    /* remembered below when every spelling is kept in the table */
    bool keep = na <= LAST_ALIASES && nv <= LAST_VARS;
    last.ok = false;
    if (na) {
        c->aname = rp_arena_alloc(c->a, 2 * na * sizeof *c->aname);
        c->ahash = rp_arena_alloc(c->a, 2 * na * sizeof *c->ahash);
        if (!c->aname || !c->ahash)
            return false;
        for (size_t i = 0; i < 2 * na; i++) {
            const char *kept;
            c->aname[i] = canon_decl(c, o->aliases[i], &c->ahash[i], &kept);
            keep = keep && (kept || !o->aliases[i]);
            if (keep) {
                last.aspell[i] = o->aliases[i];
                last.akept[i] = kept;
            }
        }
        for (size_t i = 0; i < na; i++)
            if (c->aname[2 * i] && c->aname[2 * i + 1]) {
                alias_mark(c, 2 * i);
                alias_mark(c, 2 * i + 1);
            }
        if (keep) {
            memcpy(last.aname, c->aname, 2 * na * sizeof *c->aname);
            memcpy(last.ahash, c->ahash, 2 * na * sizeof *c->ahash);
            memcpy(last.alias_bits, c->alias_bits, sizeof c->alias_bits);
        }
    }
    if (nv) {
        c->vname = rp_arena_alloc(c->a, 2 * nv * sizeof *c->vname);
        if (!c->vname)
            return false;
        c->vkey = c->vname + nv;
        for (size_t i = 0; i < nv; i++) {
            uint64_t h = 0;
            const char *kept;
            c->vname[i] = canon_decl(c, o->vars[i].name, &h, &kept);
            c->vkey[i] = c->vname[i] ? alias_key(c, c->vname[i], h) : NULL;
            keep = keep && (kept || !o->vars[i].name);
            if (keep) {
                last.vspell[i] = o->vars[i].name;
                last.vkept[i] = kept;
                last.vname[i] = c->vname[i];
                last.vkey[i] = c->vkey[i];
            }
        }
    }
    if (keep) {
        last.na = na;
        last.nv = nv;
        last.gen = canon_tab.gen;
        last.ok = true;
    }
    return true;
}

int ex_sym_find(const ectx *c, const char *key)
{
    for (int i = 0; i < c->nsym; i++)
        if (strcmp(c->sym[i].key, key) == 0)
            return i;
    return -1;
}

const char *ex_alias_key(ectx *c, const char *name)
{
    const rp_equiv_opts *o = c->o;
    if (!o || !o->aliases || !c->aname)
        return name;
    return alias_key(c, name, ex_entry_name(name));
}

/* ex_alias_key() of name, whose hash (ex_entry_name) is h. */
static const char *alias_key(ectx *c, const char *name, uint64_t h)
{
    const rp_equiv_opts *o = c->o;
    if (!o || !o->aliases || !c->aname)
        return name;
    /* a name that is no alias spelling (most) is its own key */
    if (!(c->alias_bits[(h >> 6) & 3] & (1ull << (h & 63))))
        return name;
    struct akey_ent *m = &akey_memo[h & (AKEY_SLOTS - 1)];
    if (m->gen == decl_gen && m->h == h && strcmp(m->name, name) == 0)
        return m->idx < 0 ? name : c->aname[m->idx];
    /* follow alias pairs to the smallest spelling of the group (the
     * hashes of the spellings, hb of best, tell most pairs apart) */
    const char *best = name;
    int bi = -1; /* best's index in c->aname */
    uint64_t hb = h;
    for (int round = 0; round < 4; round++) {
        bool changed = false;
        for (size_t i = 0; i < o->n_aliases; i++) {
            const char *a = c->aname[2 * i], *b = c->aname[2 * i + 1];
            if (!a || !b)
                continue;
            uint64_t ha = c->ahash[2 * i], hbb = c->ahash[2 * i + 1];
            if (ha == hb && strcmp(best, a) == 0 && strcmp(b, best) < 0) {
                best = b;
                bi = (int)(2 * i + 1);
                hb = hbb;
                changed = true;
            } else if (hbb == hb && strcmp(best, b) == 0 && strcmp(a, best) < 0) {
                best = a;
                bi = (int)(2 * i);
                hb = ha;
                changed = true;
            }
        }
        if (!changed)
            break;
    }
    size_t n = strlen(name);
    if (n < AKEY_NAME) {
        m->gen = decl_gen;
        m->h = h;
        m->idx = bi;
        memcpy(m->name, name, n + 1);
    }
    return best;
}

void ex_apply_decls(ectx *c)
{
    const rp_equiv_opts *o = c->o;
    for (int i = 0; i < c->nsym; i++) {
        esym *s = &c->sym[i];
        if (s->bound_var) {
            s->integer = true;
            s->lo = 1;
            s->hi = 10;
        }
        for (size_t j = 0; o && j < o->n_vars; j++) {
            const rp_var_domain *d = &o->vars[j];
            if (!c->vkey || !c->vkey[j] || strcmp(c->vkey[j], s->key) != 0)
                continue;
            s->declared = true;
            if (d->hi > d->lo || (d->hi == d->lo && d->lo != 0)) {
                s->lo = d->lo;
                s->hi = d->hi;
            }
            s->integer = d->integer;
            s->has_value = d->has_value;
            s->value = d->value;
            if (d->rows > 0 && d->cols > 0) {
                s->kind = SK_MATRIX;
                s->rows = d->rows > EX_MAXDIM ? EX_MAXDIM : d->rows;
                s->cols = d->cols > EX_MAXDIM ? EX_MAXDIM : d->cols;
                c->has_matrix = true;
            }
        }
        if (s->kind == SK_MATRIX && s->rows == 0) {
            s->rows = s->cols = EX_MSIZE;
        }
        /* a fixed problem constant the claim does not mention */
        s->fixed = s->has_value && s->n_claim == 0;
    }
}

/*
 * Unit tests of core's one list of model names: which words name a model
 * (a family alone where that is enough, or with a version), which family
 * a word starts with, and the words that continue a name.
 */
#include "redpen/core.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

static bool word(const char *w)
{
    return rp_model_word(w, strlen(w));
}

static void test_model_word(void **state)
{
    (void)state;
    const char *yes[] = {"Claude", "qwen3", "Qwen3-Max", "GPT-4o", "gpt-5", "o1-mini", "o3-pro",
                         "ChatGPT", "gemini-2.5", "phi-3", "yi-34b", "DeepSeek", "llama3.1"};
    const char *no[] = {"o1", "o3", "phi", "yi", "Claudette2x", "user", "gptx", "commander",
                        "", "gemin"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!word(yes[i]))
            fail_msg("'%s' should name a model", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (word(no[i]))
            fail_msg("'%s' should not name a model", no[i]);
}

static void test_family_and_suffix(void **state)
{
    (void)state;
    const rp_model_family *f = rp_model_family_at("chatgpt-4o", 10);
    assert_non_null(f);
    assert_string_equal(f->name, "ChatGPT"); /* the longest family word, not "gpt" */
    f = rp_model_family_at("qwen3", 5);
    assert_non_null(f);
    assert_string_equal(f->name, "Qwen");
    assert_null(rp_model_family_at("user", 4));
    const rp_model_family *s = rp_model_suffix("SONNET", 6);
    assert_non_null(s);
    assert_string_equal(s->name, "Sonnet");
    assert_null(rp_model_suffix("sonnets", 7));
    /* every entry of both lists is lower case and has a name */
    for (const rp_model_family *e = rp_model_families(); e->word; e++) {
        assert_non_null(e->name);
        for (const char *p = e->word; *p; p++)
            assert_false(*p >= 'A' && *p <= 'Z');
    }
    for (const rp_model_family *e = rp_model_suffixes(); e->word; e++)
        assert_non_null(e->name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_word),
        cmocka_unit_test(test_family_and_suffix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

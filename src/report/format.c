/*
 * Which format a report is written in: the format a file name asks for by
 * its extension (`-o report.html` writes HTML without --format; every
 * command that writes reports picks its format the same way), and the
 * names of the comparison's formats.
 */
#include "report_int.h"

#include <string.h>
#include <strings.h>

/* Extensions and the format each names. */
static const struct {
    const char *ext;
    const char *format;
} by_ext[] = {
    {".json", "json"}, {".jsonl", "jsonl"}, {".ndjson", "jsonl"}, {".md", "md"},
    {".markdown", "md"}, {".html", "html"}, {".htm", "html"}, {".pdf", "pdf"},
    {".csv", "csv"},   {".txt", "text"},    {".text", "text"},
};

const char *rp_report_format_from_path(const char *path)
{
    if (!path || strcmp(path, "-") == 0)
        return NULL;
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    if (!dot || dot == (slash ? slash + 1 : path)) /* none, or a hidden file's name */
        return NULL;
    for (size_t i = 0; i < sizeof by_ext / sizeof by_ext[0]; i++)
        if (strcasecmp(dot, by_ext[i].ext) == 0)
            return by_ext[i].format;
    return NULL;
}

const char *rp_report_format_pick(const char *format, const char *out_path, const char *dflt)
{
    if (format)
        return format;
    const char *f = rp_report_format_from_path(out_path);
    return f ? f : dflt;
}

static const struct {
    const char *name;
    rp_compare_format fmt;
} compare_formats[] = {
    {"text", RP_COMPARE_TEXT}, {"md", RP_COMPARE_MD}, {"html", RP_COMPARE_HTML},
    {"json", RP_COMPARE_JSON}, {"csv", RP_COMPARE_CSV},
};

rp_status rp_compare_format_parse(const char *name, rp_compare_format *out)
{
    for (size_t i = 0; name && i < sizeof compare_formats / sizeof compare_formats[0]; i++)
        if (strcmp(name, compare_formats[i].name) == 0) {
            *out = compare_formats[i].fmt;
            return RP_OK;
        }
    return RP_EUNSUPPORTED;
}

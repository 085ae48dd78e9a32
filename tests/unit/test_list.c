// SPDX-License-Identifier: MIT
/* lib/list.h: the intrusive doubly linked list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/list.h"

struct item {
	int value;
	struct list_head node;
};

/* The values in list order, as "1 2 3", checking the back links on the way. */
static const char *values(struct list_head *head)
{
	static char text[128];
	struct item *it;
	size_t len = 0;

	text[0] = '\0';
	list_for_each_entry(it, head, node) {
		assert_ptr_equal(it->node.next->prev, &it->node);
		assert_ptr_equal(it->node.prev->next, &it->node);
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%d", len ? " " : "",
					it->value);
	}
	return text;
}

static void test_list_starts_empty(void **state)
{
	struct list_head head = LIST_HEAD_INIT(head);
	struct list_head other;

	list_init(&other);
	assert_true(list_empty(&head));
	assert_true(list_empty(&other));
	assert_int_equal(list_count(&head), 0);
	assert_string_equal(values(&head), "");
}

static void test_list_add_pushes_at_the_front(void **state)
{
	struct list_head head = LIST_HEAD_INIT(head);
	struct item a = { .value = 1 }, b = { .value = 2 }, c = { .value = 3 };

	list_add(&a.node, &head);
	list_add(&b.node, &head);
	list_add(&c.node, &head);
	assert_string_equal(values(&head), "3 2 1");
	assert_false(list_empty(&head));
	assert_int_equal(list_count(&head), 3);
}

static void test_list_add_tail_appends_at_the_back(void **state)
{
	struct list_head head = LIST_HEAD_INIT(head);
	struct item a = { .value = 1 }, b = { .value = 2 }, c = { .value = 3 };

	list_add_tail(&a.node, &head);
	list_add_tail(&b.node, &head);
	list_add_tail(&c.node, &head);
	assert_string_equal(values(&head), "1 2 3");
	assert_ptr_equal(list_first_entry(&head, struct item, node), &a);
}

static void test_list_del_unlinks_and_leaves_the_entry_empty(void **state)
{
	struct list_head head = LIST_HEAD_INIT(head);
	struct item a = { .value = 1 }, b = { .value = 2 }, c = { .value = 3 };

	list_add_tail(&a.node, &head);
	list_add_tail(&b.node, &head);
	list_add_tail(&c.node, &head);
	list_del(&b.node);
	assert_string_equal(values(&head), "1 3");
	assert_true(list_empty(&b.node));
	list_del(&b.node);
	assert_string_equal(values(&head), "1 3");
	list_del(&a.node);
	list_del(&c.node);
	assert_true(list_empty(&head));
}

static void test_list_for_each_safe_allows_deleting_the_current_entry(void **state)
{
	struct list_head head = LIST_HEAD_INIT(head);
	struct item items[6];
	struct list_head *pos, *tmp;
	struct item *it, *next;
	int i;

	for (i = 0; i < 6; i++) {
		items[i].value = i;
		list_add_tail(&items[i].node, &head);
	}
	list_for_each_safe(pos, tmp, &head) {
		if (list_entry(pos, struct item, node)->value % 2 == 0)
			list_del(pos);
	}
	assert_string_equal(values(&head), "1 3 5");
	list_for_each_entry_safe(it, next, &head, node) {
		list_del(&it->node);
	}
	assert_true(list_empty(&head));
}

static void test_list_for_each_visits_every_node(void **state)
{
	struct list_head head = LIST_HEAD_INIT(head);
	struct item items[4];
	struct list_head *pos;
	int sum = 0;
	int i;

	for (i = 0; i < 4; i++) {
		items[i].value = 1 << i;
		list_add(&items[i].node, &head);
	}
	list_for_each(pos, &head) {
		sum += list_entry(pos, struct item, node)->value;
	}
	assert_int_equal(sum, 15);
}

static void test_list_splice_tail_moves_all_entries(void **state)
{
	struct list_head head = LIST_HEAD_INIT(head);
	struct list_head more = LIST_HEAD_INIT(more);
	struct item a = { .value = 1 }, b = { .value = 2 }, c = { .value = 3 };

	list_add_tail(&a.node, &head);
	list_add_tail(&b.node, &more);
	list_add_tail(&c.node, &more);
	list_splice_tail(&more, &head);
	assert_string_equal(values(&head), "1 2 3");
	assert_true(list_empty(&more));
	list_splice_tail(&more, &head);
	assert_string_equal(values(&head), "1 2 3");
}

static void test_list_container_of_finds_the_owner(void **state)
{
	struct item it = { .value = 9 };

	assert_ptr_equal(container_of(&it.node, struct item, node), &it);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_starts_empty),
		cmocka_unit_test(test_list_add_pushes_at_the_front),
		cmocka_unit_test(test_list_add_tail_appends_at_the_back),
		cmocka_unit_test(test_list_del_unlinks_and_leaves_the_entry_empty),
		cmocka_unit_test(test_list_for_each_safe_allows_deleting_the_current_entry),
		cmocka_unit_test(test_list_for_each_visits_every_node),
		cmocka_unit_test(test_list_splice_tail_moves_all_entries),
		cmocka_unit_test(test_list_container_of_finds_the_owner),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

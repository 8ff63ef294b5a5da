/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_map.h - associative arrays of the script language.
 *
 * A map is a hash table of fixed-size entries, all preallocated when the
 * module loads: a probe never allocates.  An entry holds its keys (long
 * or string, up to RT_MAP_MAXKEYS of them) and one value (long, string,
 * or a statistic: one slot of data per CPU, merged on read, rt_mstat.h).  The key and value layout comes from a
 * descriptor pass 3 writes per array.
 *
 * Inserting into a full map fails (the caller reports "array full"),
 * unless the map wraps (`global a%[N]`): then the oldest entry is reused.
 * Plain iteration walks the entries in insertion order; a sorted foreach
 * links them into a second list and sorts that with list_sort(), which
 * neither sleeps nor allocates, so insertion order (which wrapping needs)
 * is never lost.
 *
 * Locking is the caller's: the global's rwlock, taken by the probe.
 */
#ifndef RT_MAP_H
#define RT_MAP_H

#include <linux/jhash.h>
#include <linux/list.h>
#include <linux/list_sort.h>
#include <linux/stringhash.h>
#include <linux/vmalloc.h>

#define RT_MAP_MAXKEYS 9

struct rt_hist;				/* rt_stat.h */

enum rt_map_type { RT_T_LONG = 1, RT_T_STRING = 2, RT_T_STAT = 3 };

/* A key as generated code passes it: one per key position. */
union rt_key {
	rt_long n;
	const char *s;
};

struct rt_map_desc {
	const char *name;		/* the script's name, for messages */
	u8 nkeys;
	u8 key_type[RT_MAP_MAXKEYS];	/* RT_T_LONG or RT_T_STRING */
	u8 value_type;
	u32 value_size;			/* bytes of the value; of one CPU's
					 * slot for a statistic */
	const struct rt_hist *hist;	/* statistics: their layout */
	u32 max_entries;
	bool wrap;			/* reuse the oldest entry when full */
};

struct rt_map_entry {
	struct hlist_node hash_node;
	struct list_head list;		/* in use: insertion order; else free */
	struct list_head sorted;	/* the last sort's order */
	u32 hash;
	/* keys, then the value, follow (offsets in struct rt_map) */
	char data[] __aligned(8);
};

struct rt_map {
	const struct rt_map_desc *desc;
	u32 key_off[RT_MAP_MAXKEYS];	/* of each key in entry->data */
	u32 value_off;
	u32 value_size;			/* of the whole value */
	u32 entry_size;
	u32 nbuckets;			/* a power of two */
	u32 count;
	struct hlist_head *buckets;
	struct list_head used;		/* insertion order */
	struct list_head sorted;	/* what rt_map_sort() ordered */
	struct list_head free;
	void *pool;
	void __percpu *scratch;		/* statistics: a merge, per CPU */
};

static inline void *rt_map_value(const struct rt_map *m,
				 const struct rt_map_entry *e)
{
	return (void *)(e->data + m->value_off);
}

/**
 * rt_map_key_long() - a number key of an element
 * @m: the array
 * @e: the element
 * @i: which key, from 0
 *
 * Return: the key.
 */
static inline rt_long rt_map_key_long(const struct rt_map *m,
				      const struct rt_map_entry *e, int i)
{
	return *(const rt_long *)(e->data + m->key_off[i]);
}

/**
 * rt_map_key_str() - a string key of an element
 * @m: the array
 * @e: the element
 * @i: which key, from 0
 *
 * Return: the key, in the element.
 */
static inline const char *rt_map_key_str(const struct rt_map *m,
					 const struct rt_map_entry *e, int i)
{
	return e->data + m->key_off[i];
}

/**
 * rt_map_init() - set an array up
 * @m: the array
 * @d: its keys, value type and size
 *
 * At module load, in process context.
 *
 * Return: 0, or -ENOMEM.
 */
static __maybe_unused int rt_map_init(struct rt_map *m, const struct rt_map_desc *d)
{
	u32 off = 0, i;

	memset(m, 0, sizeof(*m));
	m->desc = d;
	for (i = 0; i < d->nkeys; i++) {
		m->key_off[i] = off;
		off += d->key_type[i] == RT_T_STRING ? MAXSTRINGLEN
						     : sizeof(rt_long);
		off = ALIGN(off, 8);
	}
	m->value_off = off;
	m->value_size = d->value_size;
	if (d->value_type == RT_T_STAT) {
		/* A slot per CPU, so <<< never shares a cache line's data. */
		m->value_size = d->value_size * nr_cpu_ids;
		m->scratch = __alloc_percpu(d->value_size, sizeof(rt_long));
		if (!m->scratch)
			return -ENOMEM;
	}
	m->entry_size = ALIGN(sizeof(struct rt_map_entry) + off +
			      m->value_size, 8);
	m->nbuckets = roundup_pow_of_two(max_t(u32, d->max_entries, 16));
	m->buckets = vzalloc(array_size(m->nbuckets, sizeof(*m->buckets)));
	m->pool = vzalloc(array_size(d->max_entries, m->entry_size));
	if (!m->buckets || !m->pool) {
		vfree(m->buckets);
		vfree(m->pool);
		free_percpu(m->scratch);
		return -ENOMEM;
	}
	INIT_LIST_HEAD(&m->used);
	INIT_LIST_HEAD(&m->sorted);
	INIT_LIST_HEAD(&m->free);
	for (i = 0; i < d->max_entries; i++) {
		struct rt_map_entry *e = m->pool + (size_t)i * m->entry_size;

		list_add_tail(&e->list, &m->free);
	}
	return 0;
}

/**
 * rt_map_free() - free an array's memory, at module unload
 * @m: the array
 */
static __maybe_unused void rt_map_free(struct rt_map *m)
{
	vfree(m->buckets);
	vfree(m->pool);
	free_percpu(m->scratch);
	m->buckets = NULL;
	m->pool = NULL;
	m->scratch = NULL;
}

/*
 * What a lookup computes once from its keys: their hash, and the length
 * of each string key (so the comparison with an entry's key is one
 * memcmp, not a byte loop).
 */
struct rt_map_lookup {
	u32 hash;
	u32 len[RT_MAP_MAXKEYS];
};

/*
 * A string key's hash and length, at most MAXSTRINGLEN - 1 bytes as an
 * entry stores it.  hashlen_string() is the dcache's hash: it reads the
 * string a word at a time and finds its end on the way.
 */
static __maybe_unused u32 rt_map_hash_str(const char *s, u32 *len)
{
	u64 hl = hashlen_string(NULL, s);

	if (unlikely(hashlen_len(hl) > MAXSTRINGLEN - 1)) {
		*len = MAXSTRINGLEN - 1;
		return full_name_hash(NULL, s, MAXSTRINGLEN - 1);
	}
	*len = hashlen_len(hl);
	return hashlen_hash(hl);
}

static __maybe_unused void rt_map_hash(const struct rt_map *m,
				       const union rt_key *k,
				       struct rt_map_lookup *lk)
{
	u32 h = 0, kh, i;

	for (i = 0; i < m->desc->nkeys; i++) {
		if (m->desc->key_type[i] == RT_T_STRING)
			kh = rt_map_hash_str(k[i].s, &lk->len[i]);
		else
			kh = jhash_2words((u32)k[i].n, (u32)(k[i].n >> 32), 0);
		h = i ? jhash_2words(kh, h, i) : kh;
	}
	lk->hash = h;
}

static __maybe_unused bool rt_map_match(const struct rt_map *m,
					const struct rt_map_entry *e,
					const union rt_key *k,
					const struct rt_map_lookup *lk)
{
	u32 i;

	for (i = 0; i < m->desc->nkeys; i++) {
		if (m->desc->key_type[i] == RT_T_STRING) {
			/* With the NUL, unless cut at the stored length. */
			if (memcmp(rt_map_key_str(m, e, i), k[i].s,
				   min_t(u32, lk->len[i] + 1,
					 MAXSTRINGLEN - 1)))
				return false;
		} else if (rt_map_key_long(m, e, i) != k[i].n) {
			return false;
		}
	}
	return true;
}

static __maybe_unused struct rt_map_entry *
rt_map_find_lk(struct rt_map *m, const union rt_key *k,
	       const struct rt_map_lookup *lk)
{
	struct rt_map_entry *e;

	hlist_for_each_entry(e, &m->buckets[lk->hash & (m->nbuckets - 1)],
			     hash_node)
		if (e->hash == lk->hash && rt_map_match(m, e, k, lk))
			return e;
	return NULL;
}

/**
 * rt_map_find() - look an element up
 * @m: the array
 * @k: its keys
 *
 * The entry of these keys, or NULL.
 *
 * Return: the entry, or NULL if there is none.
 */
static __maybe_unused struct rt_map_entry *rt_map_find(struct rt_map *m,
					const union rt_key *k)
{
	struct rt_map_lookup lk;

	rt_map_hash(m, k, &lk);
	return rt_map_find_lk(m, k, &lk);
}

static __maybe_unused void rt_map_unlink(struct rt_map *m, struct rt_map_entry *e)
{
	hlist_del(&e->hash_node);
	list_move(&e->list, &m->free);
	m->count--;
}

/*
 * The entry of these keys, made (with a zero value) if absent.  NULL when
 * the map is full and does not wrap: the caller reports it.
 */
static __maybe_unused struct rt_map_entry *rt_map_insert(struct rt_map *m,
					  const union rt_key *k)
{
	struct rt_map_lookup lk;
	struct rt_map_entry *e;
	u32 i;

	rt_map_hash(m, k, &lk);
	e = rt_map_find_lk(m, k, &lk);
	if (e)
		return e;
	if (list_empty(&m->free)) {
		if (!m->desc->wrap || list_empty(&m->used))
			return NULL;
		rt_map_unlink(m, list_first_entry(&m->used,
						  struct rt_map_entry, list));
	}
	e = list_first_entry(&m->free, struct rt_map_entry, list);
	memset(e->data, 0, m->entry_size - sizeof(*e));
	for (i = 0; i < m->desc->nkeys; i++) {
		if (m->desc->key_type[i] == RT_T_STRING)
			memcpy(e->data + m->key_off[i], k[i].s, lk.len[i]);
		else
			*(rt_long *)(e->data + m->key_off[i]) = k[i].n;
	}
	e->hash = lk.hash;
	hlist_add_head(&e->hash_node,
		       &m->buckets[lk.hash & (m->nbuckets - 1)]);
	list_move_tail(&e->list, &m->used);
	m->count++;
	return e;
}

/**
 * rt_map_delete() - delete a[k]
 * @m: the array
 * @k: the keys
 */
static __maybe_unused void rt_map_delete(struct rt_map *m, const union rt_key *k)
{
	struct rt_map_entry *e = rt_map_find(m, k);

	if (e)
		rt_map_unlink(m, e);
}

/**
 * rt_map_clear() - delete every element
 * @m: the array
 */
static __maybe_unused void rt_map_clear(struct rt_map *m)
{
	struct rt_map_entry *e, *n;

	list_for_each_entry_safe(e, n, &m->used, list)
		rt_map_unlink(m, e);
}

/**
 * rt_map_get_long() - read a[k] of a number array
 * @m: the array
 * @k: the keys
 *
 * The calls generated code makes for a[k] (reads never insert).
 *
 * Return: the value, or 0 if the element is absent.
 */
static inline rt_long rt_map_get_long(struct rt_map *m, const union rt_key *k)
{
	struct rt_map_entry *e = rt_map_find(m, k);

	return e ? *(rt_long *)rt_map_value(m, e) : 0;
}

/**
 * rt_map_get_str() - read a[k] of a string array
 * @m: the array
 * @k: the keys
 *
 * Return: the value, or "" if the element is absent.
 */
static inline const char *rt_map_get_str(struct rt_map *m,
					 const union rt_key *k)
{
	struct rt_map_entry *e = rt_map_find(m, k);

	return e ? (const char *)rt_map_value(m, e) : "";
}

/**
 * rt_map_ref() - the value of a[k] to write
 * @c: the context of the probe hit
 * @loc: the script location an error names
 * @m: the array
 * @k: the keys
 *
 * The value of a[k] to write, made if absent; NULL (and the hit fails)
 * when the array is full.
 *
 * Return: the value's memory, or NULL when the array is full.
 */
static __maybe_unused void *rt_map_ref(struct rt_context *c, const char *loc,
			struct rt_map *m, const union rt_key *k)
{
	struct rt_map_entry *e = rt_map_insert(m, k);

	if (unlikely(!e)) {
		rt_error(c, loc, "array '%s' is full (%u entries; set "
			 "MAXMAPENTRIES or its size)", m->desc->name,
			 m->desc->max_entries);
		return NULL;
	}
	return rt_map_value(m, e);
}

/*
 * Sorting for foreach.  by: 0 the value, 1.. the key at that position;
 * dir: 1 ascending, -1 descending.  Statistics sort by an extractor of
 * their aggregate, which the caller gives as a function.
 */
struct rt_map_sort {
	const struct rt_map *m;
	int by;
	int dir;
	rt_long (*stat_key)(const struct rt_map *m, const void *value);
};

static __maybe_unused int rt_map_cmp_long(rt_long a, rt_long b)
{
	return a < b ? -1 : a > b;
}

static __maybe_unused int rt_map_cmp(void *priv, const struct list_head *la,
		      const struct list_head *lb)
{
	const struct rt_map_sort *s = priv;
	const struct rt_map *m = s->m;
	const struct rt_map_entry *a =
		list_entry(la, struct rt_map_entry, sorted);
	const struct rt_map_entry *b =
		list_entry(lb, struct rt_map_entry, sorted);
	int r;

	if (s->by > 0) {
		int i = s->by - 1;

		if (m->desc->key_type[i] == RT_T_STRING)
			r = strcmp(rt_map_key_str(m, a, i),
				   rt_map_key_str(m, b, i));
		else
			r = rt_map_cmp_long(rt_map_key_long(m, a, i),
					    rt_map_key_long(m, b, i));
	} else if (m->desc->value_type == RT_T_STRING) {
		r = strcmp(rt_map_value(m, a), rt_map_value(m, b));
	} else if (m->desc->value_type == RT_T_STAT) {
		r = rt_map_cmp_long(s->stat_key(m, rt_map_value(m, a)),
				    s->stat_key(m, rt_map_value(m, b)));
	} else {
		r = rt_map_cmp_long(*(rt_long *)rt_map_value(m, a),
				    *(rt_long *)rt_map_value(m, b));
	}
	return r * s->dir;
}

/**
 * rt_map_sort() - order the elements for a sorted foreach
 * @m: the array
 * @by: 0 to sort by the value, N by key N
 * @dir: 1 ascending, -1 descending
 * @stat_key: for a statistics array: the aggregate sorted by, or NULL
 *
 * Orders the entries into m->sorted; list_sort() is stable, so ties keep
 * their insertion order.
 */
static __maybe_unused void rt_map_sort(struct rt_map *m, int by, int dir,
			rt_long (*stat_key)(const struct rt_map *m,
					    const void *value))
{
	struct rt_map_sort s = { m, by, dir, stat_key };
	struct rt_map_entry *e;

	INIT_LIST_HEAD(&m->sorted);
	list_for_each_entry(e, &m->used, list)
		list_add_tail(&e->sorted, &m->sorted);
	list_sort(&s, &m->sorted, rt_map_cmp);
}

/**
 * rt_map_for_each() - iterate in insertion order
 * @m: the array
 * @e: the entry cursor
 * @tmp: a second cursor, so that @e may be deleted
 *
 * In insertion order; safe against deleting the current entry.
 */
#define rt_map_for_each(m, e, tmp) \
	list_for_each_entry_safe(e, tmp, &(m)->used, list)
/**
 * rt_map_for_each_sorted() - iterate in the order of the last rt_map_sort()
 * @m: the array
 * @e: the entry cursor
 *
 * In the order of the last rt_map_sort().
 */
#define rt_map_for_each_sorted(m, e) \
	list_for_each_entry(e, &(m)->sorted, sorted)

#endif /* RT_MAP_H */

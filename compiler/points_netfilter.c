/* points_netfilter.c - netfilter hooks (runtime/kernel/rt_netfilter.h):
 *
 *   netfilter.hook("HOOK").pf("FAMILY")[.priority(P)]
 *   netfilter.pf("FAMILY").hook("HOOK")[.priority(P)]
 *
 * FAMILY is NFPROTO_IPV4, NFPROTO_IPV6, NFPROTO_ARP or NFPROTO_BRIDGE
 * (or its number); HOOK a hook name of that family (NF_INET_*, NF_IP_*,
 * NF_IP6_*, NF_ARP_*, NF_BR_*) or its number; P a number or an
 * NF_IP_PRI_* / NF_IP6_PRI_* name (0 when not given).  The names are
 * the values of the kernel's uapi headers (linux/netfilter*.h).  Also
 * here: pass 3's fields of the kind, and the context variables a hook
 * offers (tr_target.c reads them through pt_nf_var()).
 */
#include "points_int.h"
#include "elab.h"
#include "tr_int.h"

#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct nf_name {
	const char *name;
	int64_t value;
};

static const struct nf_name nf_families[] = {
	{ "NFPROTO_IPV4", 2 }, { "NFPROTO_ARP", 3 },
	{ "NFPROTO_BRIDGE", 7 }, { "NFPROTO_IPV6", 10 },
};

/* The hooks of each family, by prefix: NF_INET_LOCAL_IN is hook 1 of
 * IPv4 and IPv6, as are its older names NF_IP_LOCAL_IN/NF_IP6_... */
static const struct nf_name nf_inet_hooks[] = {
	{ "PRE_ROUTING", 0 }, { "LOCAL_IN", 1 }, { "FORWARD", 2 },
	{ "LOCAL_OUT", 3 }, { "POST_ROUTING", 4 }, { NULL, 5 },
};

static const struct nf_name nf_arp_hooks[] = {
	{ "IN", 0 }, { "OUT", 1 }, { "FORWARD", 2 }, { NULL, 3 },
};

static const struct nf_name nf_bridge_hooks[] = {
	{ "PRE_ROUTING", 0 }, { "LOCAL_IN", 1 }, { "FORWARD", 2 },
	{ "LOCAL_OUT", 3 }, { "POST_ROUTING", 4 }, { "BROUTING", 5 },
	{ NULL, 6 },
};

/* NF_IP_PRI_x and NF_IP6_PRI_x have the same values. */
static const struct nf_name nf_priorities[] = {
	{ "FIRST", INT_MIN }, { "RAW_BEFORE_DEFRAG", -450 },
	{ "CONNTRACK_DEFRAG", -400 }, { "RAW", -300 },
	{ "SELINUX_FIRST", -225 }, { "CONNTRACK", -200 },
	{ "MANGLE", -150 }, { "NAT_DST", -100 }, { "FILTER", 0 },
	{ "SECURITY", 50 }, { "NAT_SRC", 100 }, { "SELINUX_LAST", 225 },
	{ "CONNTRACK_HELPER", 300 }, { "CONNTRACK_CONFIRM", INT_MAX },
	{ "LAST", INT_MAX }, { NULL, 0 },
};

/* The value of name in a NULL-ended table, after one of the prefixes
 * (a ","-separated list); 1 if found. */
static int nf_lookup(const struct nf_name *t, const char *prefixes,
		     const char *name, int64_t *out)
{
	const char *p = prefixes;

	while (*p) {
		size_t len = strcspn(p, ",");

		if (!strncmp(name, p, len))
			for (int i = 0; t[i].name; i++)
				if (!strcmp(name + len, t[i].name)) {
					*out = t[i].value;
					return 1;
				}
		p += len + (p[len] == ',');
	}
	return 0;
}

static const struct nf_name *nf_hooks_of(int64_t pf, const char **prefixes)
{
	switch (pf) {
	case 2:
		*prefixes = "NF_INET_,NF_IP_";
		return nf_inet_hooks;
	case 10:
		*prefixes = "NF_INET_,NF_IP6_";
		return nf_inet_hooks;
	case 3:
		*prefixes = "NF_ARP_";
		return nf_arp_hooks;
	default:
		*prefixes = "NF_BR_";
		return nf_bridge_hooks;
	}
}

/* The hook names of family pf, for errors. */
static const char *nf_hook_names(int64_t pf)
{
	switch (pf) {
	case 2:
		return "NF_INET_* or NF_IP_*: PRE_ROUTING, LOCAL_IN, FORWARD, "
		       "LOCAL_OUT, POST_ROUTING";
	case 10:
		return "NF_INET_* or NF_IP6_*: PRE_ROUTING, LOCAL_IN, FORWARD, "
		       "LOCAL_OUT, POST_ROUTING";
	case 3:
		return "NF_ARP_IN, NF_ARP_OUT, NF_ARP_FORWARD";
	default:
		return "NF_BR_*: PRE_ROUTING, LOCAL_IN, FORWARD, LOCAL_OUT, "
		       "POST_ROUTING, BROUTING";
	}
}

static int nf_count(const struct nf_name *t)
{
	int n = 0;

	while (t[n].name)
		n++;
	return n;
}

static struct loc nf_loc(const struct pt_req *r, int i)
{
	return ((const struct pp_component *)r->pp->comps.v[i])->loc;
}

static int nf_comp(const struct pt_req *r, const char *name)
{
	for (int i = 1; i < r->pp->comps.n; i++)
		if (!strcmp(((const struct pp_component *)
			     r->pp->comps.v[i])->name, name))
			return i;
	return -1;
}

static int nf_family(const struct pt_req *r, int i, int64_t *pf)
{
	if (!r->str[i]) {
		*pf = r->num[i];
		for (size_t k = 0; k < sizeof(nf_families) /
					sizeof(nf_families[0]); k++)
			if (nf_families[k].value == *pf)
				return 1;
	} else {
		for (size_t k = 0; k < sizeof(nf_families) /
					sizeof(nf_families[0]); k++)
			if (!strcmp(r->str[i], nf_families[k].name)) {
				*pf = nf_families[k].value;
				return 1;
			}
	}
	diag_error(DG_NETFILTER_FAMILY, nf_loc(r, i), "unknown netfilter protocol family '%s%s' "
		   "(NFPROTO_IPV4, NFPROTO_IPV6, NFPROTO_ARP or "
		   "NFPROTO_BRIDGE)", r->str[i] ? r->str[i] : "",
		   r->str[i] ? "" : "a number");
	return 0;
}

static int nf_hook(const struct pt_req *r, int i, int64_t pf, int64_t *hook)
{
	const char *prefixes;
	const struct nf_name *t = nf_hooks_of(pf, &prefixes);

	if (!r->str[i]) {
		*hook = r->num[i];
		if (*hook >= 0 && *hook < nf_count(t))
			return 1;
		diag_error(DG_NETFILTER_HOOK, nf_loc(r, i), "netfilter hook %" PRId64 " is out "
			   "of range for this family (0 to %d)", *hook,
			   nf_count(t) - 1);
		return 0;
	}
	if (nf_lookup(t, prefixes, r->str[i], hook))
		return 1;
	diag_error(DG_NETFILTER_HOOK, nf_loc(r, i), "unknown netfilter hook '%s' for this "
		   "family (%s)", r->str[i], nf_hook_names(pf));
	return 0;
}

static int nf_priority(const struct pt_req *r, int i, int64_t *prio)
{
	*prio = 0;
	if (i < 0)
		return 1;
	if (!r->str[i]) {
		*prio = r->num[i];
		if (*prio >= INT_MIN && *prio <= INT_MAX)
			return 1;
	} else {
		char *end;

		*prio = strtoll(r->str[i], &end, 0);
		if ((*r->str[i] && !*end) ||
		    nf_lookup(nf_priorities, "NF_IP_PRI_,NF_IP6_PRI_",
			      r->str[i], prio))
			return 1;
	}
	diag_error(DG_NETFILTER_PRIORITY, nf_loc(r, i), "netfilter priority must be an int or an "
		   "NF_IP_PRI_*/NF_IP6_PRI_* name");
	return 0;
}

int pt_res_netfilter(struct pt_req *r)
{
	int ipf = nf_comp(r, "pf"), ihook = nf_comp(r, "hook");
	int64_t pf, hook, prio;
	struct concrete_point *cp;

	if (!nf_family(r, ipf, &pf) || !nf_hook(r, ihook, pf, &hook) ||
	    !nf_priority(r, nf_comp(r, "priority"), &prio))
		return 0;
	cp = pt_add(r, PP_NETFILTER, NULL);
	cp->nf_pf = (int)pf;
	cp->nf_hooknum = (int)hook;
	cp->nf_priority = (int)prio;
	return 1;
}

/* Pass 3: the hook's fields of struct rt_probe. */
void tr_fields_netfilter(const struct concrete_point *cp, struct strbuf *out)
{
	sb_printf(out, "\t  .nf_pf = %d,\n", cp->nf_pf);
	sb_printf(out, "\t  .nf_hooknum = %d,\n", cp->nf_hooknum);
	sb_printf(out, "\t  .nf_priority = %d,\n", cp->nf_priority);
}

/* The context variables of a hook: their slot of c->rt.trace_args
 * (RT_NF_ARG_* in rt_netfilter.h) and the struct they point to, or NULL
 * for a number.  $indev and $outdev are $in and $out's other names;
 * $indev_name and $outdev_name their devices' names ("" for none). */
static const struct pt_nf_var nf_vars[] = {
	{ "hooknum", 0, NULL, 0 },
	{ "skb", 1, "sk_buff", 0 },
	{ "in", 2, "net_device", 0 },
	{ "indev", 2, "net_device", 0 },
	{ "out", 3, "net_device", 0 },
	{ "outdev", 3, "net_device", 0 },
	{ "indev_name", 2, "net_device", 1 },
	{ "outdev_name", 3, "net_device", 1 },
	{ "okfn", 4, NULL, 0 },
	{ "verdict", 5, NULL, 0 },
	{ "pf", 6, NULL, 0 },
};

const struct pt_nf_var *pt_nf_var(const char *name)
{
	for (size_t i = 0; i < sizeof(nf_vars) / sizeof(nf_vars[0]); i++)
		if (!strcmp(name, nf_vars[i].name))
			return &nf_vars[i];
	return NULL;
}

const char *pt_nf_var_names(void)
{
	return "$hooknum $skb $in $out $indev $outdev $indev_name $outdev_name "
	       "$okfn $verdict $pf";
}

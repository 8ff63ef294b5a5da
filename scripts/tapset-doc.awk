# tapset-doc.awk - the tapset reference, in markdown, from the doc
# comments of the tapset files given as arguments (see tapset-doc.sh).
#
# A file may start with // lines: its description.  Each public function
# (a name not starting with _) has a doc comment right before it:
#
#   /**
#    * sfunction NAME - one-line summary
#    * @param: what the parameter is (more lines indented)
#    *
#    * Description: what the function returns or does (more lines; an
#    * empty line starts a new paragraph).
#    * Context: where it is valid (optional).
#    */
#   function NAME:TYPE (param:TYPE, ...)
#
# A probe alias (probe NAME = ...) has one too, "sprobe NAME - summary",
# with an @var: line for each variable it sets beyond name and argstr;
# a NAME.return alias needs none (its entry's doc covers it).
#
# A missing or malformed doc comment, or an undocumented parameter, is
# reported on stderr and the exit status is 1.

function fail(msg) {
	printf("%s:%d: %s\n", FILENAME, FNR, msg) > "/dev/stderr"
	status = 1
}

function trim(s) {
	sub(/^[ \t]+/, "", s)
	sub(/[ \t]+$/, "", s)
	return s
}

# Appends line l to text t; an empty l ends a paragraph ("\n").
function join(t, l) {
	if (l == "")
		return (t == "" || t ~ /\n$/) ? t : t "\n"
	if (t == "" || t ~ /\n$/)
		return t l
	return t " " l
}

# Parses the doc comment lines doc[1..ndoc] for function (or, with kind
# "sprobe", probe alias) nm.
function parse_doc(nm, kind,    i, l, sect, pname, m) {
	summary = ""; desc = ""; ctx = ""; nparam = 0
	split("", ptext)
	l = doc[1]
	if (!match(l, "^" kind " [A-Za-z_0-9.]+ - ")) {
		fail("doc comment of " nm " must start \"" kind " " nm " - summary\"")
		return
	}
	m = substr(l, length(kind) + 2, RLENGTH - length(kind) - 4)
	if (m != nm)
		fail("doc comment names " m ", the function is " nm)
	summary = trim(substr(l, RLENGTH + 1))
	sect = ""
	for (i = 2; i <= ndoc; i++) {
		l = doc[i]
		if (match(l, /^@[A-Za-z_0-9]+:/)) {
			pname = substr(l, 2, RLENGTH - 2)
			pnames[++nparam] = pname
			ptext[pname] = trim(substr(l, RLENGTH + 1))
			sect = "param"
		} else if (l ~ /^Description:/) {
			sect = "desc"
			desc = join(desc, trim(substr(l, 13)))
		} else if (l ~ /^Context:/) {
			sect = "ctx"
			ctx = join(ctx, trim(substr(l, 9)))
		} else if (sect == "param" && l ~ /^[ \t]/) {
			ptext[pname] = ptext[pname] " " trim(l)
		} else if (sect == "param" && l == "") {
			sect = ""
		} else if (sect == "desc") {
			desc = join(desc, trim(l))
		} else if (sect == "ctx") {
			ctx = join(ctx, trim(l))
		} else if (l != "") {
			fail("doc comment of " nm ": unexpected line: " l)
		}
	}
	sub(/\n+$/, "", desc)
	if (summary == "")
		fail("doc comment of " nm " has no summary")
	if (desc == "")
		fail("doc comment of " nm " has no Description:")
}

# The function declared on this line: records it with its doc comment.
function declare(    s, p, q, head, params, nm, n, parts, i, pn, found, k) {
	s = $0
	sub(/^function[ \t]+/, "", s)
	p = index(s, "(")
	head = substr(s, 1, p - 1)
	gsub(/[ \t]/, "", head)
	q = index(substr(s, p + 1), ")")
	params = substr(s, p + 1, q - 1)
	gsub(/[ \t]+/, "", params)
	gsub(/,/, ", ", params)
	nm = head
	sub(/:.*/, "", nm)
	if (nm ~ /^_/)
		return
	if (!have_doc) {
		fail("function " nm " has no doc comment")
		return
	}
	parse_doc(nm, "sfunction")
	nfn++
	fname[nfn] = nm
	fsig[nfn] = head "(" params ")"
	ffile[nfn] = nfile
	fsum[nfn] = summary
	fdesc[nfn] = desc
	fctx[nfn] = ctx
	fargs[nfn] = ""
	n = params == "" ? 0 : split(params, parts, ", ")
	for (i = 1; i <= n; i++) {
		pn = parts[i]
		sub(/:.*/, "", pn)
		if (!(pn in ptext))
			fail("doc comment of " nm " does not describe @" pn)
		else
			fargs[nfn] = fargs[nfn] "- `" pn "`: " ptext[pn] "\n"
	}
	for (k = 1; k <= nparam; k++) {
		found = 0
		for (i = 1; i <= n; i++) {
			pn = parts[i]
			sub(/:.*/, "", pn)
			if (pn == pnames[k])
				found = 1
		}
		if (!found)
			fail("doc comment of " nm " describes @" pnames[k] \
			     ", which is not a parameter")
	}
}

FNR == 1 {
	nfile++
	files[nfile] = FILENAME
	fileintro[nfile] = ""
	inhead = 1; indoc = 0; have_doc = 0; inc = 0
}

inhead && /^\/\// {
	l = $0
	sub(/^\/\/ ?/, "", l)
	fileintro[nfile] = join(fileintro[nfile], l)
	next
}
{ inhead = 0 }

# Embedded C at the top level or as a function body.
inc {
	if ($0 ~ /%}/)
		inc = 0
	next
}

/^\/\*\*/ { indoc = 1; ndoc = 0; next }
indoc && /^[ \t]*\*\// { indoc = 0; have_doc = 1; next }
indoc {
	l = $0
	sub(/^[ \t]*\* ?/, "", l)
	doc[++ndoc] = l
	next
}

# A probe alias: its name, doc and variables.
function declare_probe(    s, nm, k) {
	s = $0
	sub(/^probe[ \t]+/, "", s)
	nm = s
	sub(/[ \t]*\+?=.*/, "", nm)
	# Internal aliases, and nd_syscall.NAME, documented with syscall.NAME
	if (nm ~ /^_/ || nm ~ /^nd_syscall\./)
		return
	if (nm ~ /\.return$/) {
		sub(/\.return$/, "", nm)
		hasret[nm] = 1
		return
	}
	if (!have_doc) {
		fail("probe alias " nm " has no doc comment")
		return
	}
	parse_doc(nm, "sprobe")
	npr++
	pname_[npr] = nm
	pfile[npr] = nfile
	psum[npr] = summary
	pdesc[npr] = desc
	pvars[npr] = ""
	for (k = 1; k <= nparam; k++)
		pvars[npr] = pvars[npr] "- `" pnames[k] "`: " ptext[pnames[k]] "\n"
}

/^probe[ \t]+[A-Za-z_][A-Za-z_0-9.*]*[ \t]*\+?=/ {
	declare_probe()
	have_doc = 0
	next
}

/^function[ \t]/ {
	declare()
	have_doc = 0
	if ($0 ~ /%{/ && $0 !~ /%}/)
		inc = 1
	next
}

/%{/ && !/%}/ { inc = 1; have_doc = 0; next }
/[^ \t]/ { have_doc = 0 }

# Markdown for text t: paragraphs separated by empty lines.
function paras(t) {
	gsub(/\n/, "\n\n", t)
	return t
}

# One function's or probe alias's section of the reference: heading,
# signature, summary, its list (arguments or variables; none_text when
# empty) and description.
function print_entry(name, sig, sum, list, none_text, list_head, desc) {
	print ""
	print "### " name
	print ""
	print sig
	print ""
	print sum "."
	print ""
	if (list == "")
		print none_text
	else
		printf("%s\n\n%s", list_head, list)
	print ""
	print paras(desc)
}

# roff for text t: escapes, `code` in bold, paragraphs as .PP.
function roff(t,    n, par, i, l, out) {
	gsub(/\\/, "\\e", t)
	while (match(t, /`[^`]*`/))
		t = substr(t, 1, RSTART - 1) "\\fB" \
		    substr(t, RSTART + 1, RLENGTH - 2) "\\fR" \
		    substr(t, RSTART + RLENGTH)
	n = split(t, par, "\n")
	out = ""
	for (i = 1; i <= n; i++) {
		l = par[i]
		if (l ~ /^[.']/)
			l = "\\&" l
		out = out (i > 1 ? "\n.PP\n" : "") l
	}
	return out
}

# A markdown list ("- `x`: text" lines) as roff tagged paragraphs.
function roff_list(list,    n, items, i, l, tag) {
	n = split(list, items, "\n")
	for (i = 1; i <= n; i++) {
		l = items[i]
		if (l == "")
			continue
		sub(/^- /, "", l)
		tag = l
		sub(/: .*/, "", tag)
		sub(/^[^:]*: /, "", l)
		printf(".TP\n%s\n%s\n", roff(tag), roff(l)) > page
	}
}

# One manual page, section 3tapc, in mandir: NAME.3tapc.
function man_page(name, sum, sigs, list, list_head, desc, ctx, file) {
	page = mandir "/" name ".3tapc"
	printf(".TH \"%s\" 3tapc \"\" tapc \"tapc tapset reference\"\n", name) > page
	printf(".SH NAME\n%s \\- %s\n", name, roff(sum)) > page
	printf(".SH SYNOPSIS\n%s\n", sigs) > page
	if (list != "") {
		printf(".SH %s\n", list_head) > page
		roff_list(list)
	}
	printf(".SH DESCRIPTION\n%s\n", roff(desc)) > page
	if (ctx != "")
		printf(".SH CONTEXT\n%s\n", roff(ctx)) > page
	printf(".SH FILES\ntapset/%s\n.SH SEE ALSO\n.BR tapc (1)\n", file) > page
	close(page)
}

# With -v mandir=DIR: the manual pages instead of the markdown; a
# function's overloads share one page.
function man_pages(    i, j, sigs, list, desc, sig) {
	for (i = 1; i <= nfn; i++) {
		if (fname[i] in done)
			continue
		done[fname[i]] = 1
		sigs = ""; list = ""; desc = ""
		for (j = i; j <= nfn; j++) {
			if (fname[j] != fname[i])
				continue
			sigs = sigs (sigs == "" ? "" : "\n.br\n") roff("`" fsig[j] "`")
			list = list fargs[j]
			desc = desc (desc == "" ? "" : "\n") fdesc[j]
		}
		man_page(fname[i], fsum[i], sigs, list, "ARGUMENTS", desc,
			 fctx[i], files[ffile[i]])
	}
	for (i = 1; i <= npr; i++) {
		sig = roff("`probe " pname_[i] "`")
		if (pname_[i] in hasret)
			sig = sig "\n.br\n" roff("`probe " pname_[i] ".return`")
		man_page("probe::" pname_[i], psum[i], sig, pvars[i],
			 "VARIABLES (besides name and argstr)", pdesc[i], "",
			 files[pfile[i]])
	}
}

END {
	if (status)
		exit status
	if (mandir != "") {
		man_pages()
		exit 0
	}
	print "# Tapset reference"
	print ""
	print "Generated by `make doc` (scripts/tapset-doc.sh) from the doc"
	print "comments in tapset/; do not edit.  " nfn " functions, by file;"
	print "each is resolved from the tapset library when a script calls it."
	print ""
	print "| Function | Summary |"
	print "|---|---|"
	for (i = 1; i <= nfn; i++)
		printf("| [`%s`](#%s) | %s |\n", fsig[i], fname[i], fsum[i])
	if (npr) {
		print ""
		print "| Probe alias | Summary |"
		print "|---|---|"
	}
	for (i = 1; i <= npr; i++)
		printf("| [`%s`](#%s) | %s |\n", pname_[i], pname_[i], psum[i])
	for (f = 1; f <= nfile; f++) {
		print ""
		print "## " files[f]
		if (fileintro[f] != "") {
			print ""
			print paras(fileintro[f])
		}
		for (i = 1; i <= nfn; i++) {
			if (ffile[i] != f)
				continue
			print_entry(fname[i], "`" fsig[i] "`", fsum[i], fargs[i],
				    "Arguments: none.", "Arguments:", fdesc[i])
			if (fctx[i] != "") {
				print ""
				print "Context: " paras(fctx[i])
			}
		}
		for (i = 1; i <= npr; i++) {
			if (pfile[i] != f)
				continue
			sig = "`probe " pname_[i] "`"
			if (pname_[i] in hasret)
				sig = sig ", `probe " pname_[i] ".return`"
			print_entry(pname_[i], sig, psum[i], pvars[i],
				    "Variables: name, argstr.",
				    "Variables besides name and argstr:", pdesc[i])
		}
	}
}

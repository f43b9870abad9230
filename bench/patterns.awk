# patterns.awk: the rule library's patterns as POSIX extended regular
# expressions, one a line, for the grep-like peers (zgrep -E -f, rg -f).
#
#   awk -f bench/patterns.awk rules/*/*.yml > patterns.ere
#
# Takes every `message|re:` / `raw|re:` value and every single-string
# `|contains:` value (list-valued contains only prefilter a regex of the
# same selection). PCRE syntax is rewritten to ERE: named and
# non-capturing groups become plain groups, \d \s \S \w become classes,
# lazy quantifiers become greedy, inline (?i) flags and lookaround
# assertions are dropped, and ^ anchors (start of the message, which
# lies mid-line) are dropped. The result matches a superset of what the
# rules match; program restrictions and conditions are not expressed.

function unquote(v) {
	sub(/^[ \t]+/, "", v)
	sub(/[ \t]+$/, "", v)
	if (v ~ /^'.*'$/) {
		v = substr(v, 2, length(v) - 2)
		gsub(/''/, "'", v)
	} else if (v ~ /^".*"$/) {
		v = substr(v, 2, length(v) - 2)
		gsub(/\\\\/, "\\", v)
	}
	return v
}

# Escapes a literal for ERE.
function lit(s,    out, i, c) {
	out = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (index("\\.[]()*+?{}|^$", c))
			out = out "\\" c
		else
			out = out c
	}
	return out
}

# Class escape inside or outside brackets.
function cls(c, inb) {
	if (c == "d") return inb ? "0-9" : "[0-9]"
	if (c == "D") return inb ? "" : "[^0-9]"
	if (c == "s") return inb ? "[:space:]" : "[[:space:]]"
	if (c == "S") return inb ? "" : "[^[:space:]]"
	if (c == "w") return inb ? "[:alnum:]_" : "[[:alnum:]_]"
	if (c == "W") return inb ? "" : "[^[:alnum:]_]"
	return "\001"
}

function ere(p,    out, i, n, c, d, inb, dash, depth, skip, r, prevq) {
	out = ""; n = length(p); inb = 0; skip = 0; depth = 0; prevq = 0
	for (i = 1; i <= n; i++) {
		c = substr(p, i, 1)
		if (skip > 0) {
			# inside a dropped lookaround: track nesting only
			if (c == "\\") { i++; continue }
			if (c == "(") skip++
			else if (c == ")") skip--
			continue
		}
		if (inb) {
			# a bracket is gathered, then written with ] first and
			# - last, as ERE wants them
			if (c == "\\") {
				first = 0
				d = substr(p, ++i, 1)
				r = cls(d, 1)
				if (r != "\001") body = body r
				else if (d == "-") dash = 1
				else if (d == "]") rbr = 1
				else if (d == "\\") body = body "\\"
				else body = body d
				continue
			}
			if (c == "]" && !first) {
				out = out (rbr ? "]" : "") body (dash ? "-" : "") "]"
				inb = 0; prevq = 0
				continue
			}
			if (c == "]") rbr = 1
			else body = body c
			first = 0
			continue
		}
		if (c == "\\") {
			d = substr(p, ++i, 1)
			r = cls(d, 0)
			if (r != "\001") out = out r
			else if (d == "b" || d == "B") out = out "\\" d
			else if (index(".[]()*+?{}|^$\\/", d)) out = out "\\" d
			else out = out d
			prevq = 0
			continue
		}
		if (c == "[") {
			inb = 1; dash = 0; rbr = 0; first = 1; body = ""
			out = out "["
			if (substr(p, i + 1, 1) == "^") { out = out "^"; i++ }
			continue
		}
		if (c == "(" && substr(p, i + 1, 1) == "?") {
			d = substr(p, i + 2, 1)
			if (d == "=" || d == "!" || (d == "<" && index("=!", substr(p, i + 3, 1)))) {
				skip = 1; i += (d == "<") ? 3 : 2
				continue
			}
			if (d == ":") { out = out "("; i += 2; prevq = 0; continue }
			if (d == "<" || d == "P") {
				i = index(substr(p, i), ">") + i - 1
				out = out "("; prevq = 0
				continue
			}
			# inline flags: (?i) or (?i:
			r = substr(p, i + 2)
			if (match(r, /^[a-z]+\)/)) { i += 1 + RLENGTH; continue }
			if (match(r, /^[a-z]+:/)) { i += 1 + RLENGTH; out = out "("; continue }
		}
		if (c == "?" && prevq) { prevq = 0; continue }
		if (c == "^") continue
		out = out c
		prevq = (c == "*" || c == "+" || c == "?" || c == "}")
	}
	return out
}

/^[ \t-]*(message|raw)\|re:/ {
	v = $0
	sub(/^[^:]*\|re:/, "", v)
	print ere(unquote(v))
	next
}
/^[ \t-]*(message|raw)\|contains:[ \t]*['"]/ {
	v = $0
	sub(/^[^:]*\|contains:/, "", v)
	print lit(unquote(v))
}

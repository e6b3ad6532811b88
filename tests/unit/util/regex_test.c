/*
 * util/regex against Go: a table of patterns with Go's verdicts (regexp.Compile's error text,
 * or the leftmost match of a subject), taken from Go's regexp/syntax tests (parse_test.go's
 * valid, invalid, onlyPerl and onlyPOSIX lists), its documentation's syntax list and the
 * Perl extensions Go refuses; the verdicts were produced by Go's regexp. Then Go 1.22's named
 * groups, submatches, the ASCII meaning of \d \w \s \b, and a pathological set that must be
 * refused or bounded, each well under a second.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test.h"
#include "util/error.h"
#include "util/regex.h"

struct row {
	const char *pattern;
	const char *err;     /* Go's message, or NULL when Go compiles the pattern */
	const char *subject; /* then: the leftmost match of pattern in subject */
	int start, end;      /* -1, -1: no match */
};

static const struct row rows[] = {
	{ "a", NULL, "a", 0, 1 },
	{ "a", NULL, "", -1, -1 },
	{ "abc", NULL, "abc", 0, 3 },
	{ "abc", NULL, "", -1, -1 },
	{ "a.b", NULL, "a.b", 0, 3 },
	{ "a.b", NULL, "", -1, -1 },
	{ "a.*b", NULL, "abc", 0, 2 },
	{ "a.*b", NULL, "", -1, -1 },
	{ "^abc$", NULL, "abc", 0, 3 },
	{ "^abc$", NULL, "", -1, -1 },
	{ "(\?m)^b$", NULL, "a\012b", 2, 3 },
	{ "(\?m)^b$", NULL, "", -1, -1 },
	{ "(\?m)^", NULL, "a", 0, 0 },
	{ "(\?s)a.b", NULL, "a\012b", 0, 3 },
	{ "(\?s)a.b", NULL, "", -1, -1 },
	{ "(\?i)ABC", NULL, "abc", 0, 3 },
	{ "(\?i)ABC", NULL, "", -1, -1 },
	{ "(\?i)k", NULL, "k", 0, 1 },
	{ "(\?i)k", NULL, "", -1, -1 },
	{ "(\?i)[a-z]+", NULL, "a", 0, 1 },
	{ "(\?i)[a-z]+", NULL, "", -1, -1 },
	{ "[[:alpha:]]+", NULL, "a", 0, 1 },
	{ "[[:alpha:]]+", NULL, "", -1, -1 },
	{ "[[:^alpha:]]+", NULL, "a\012b", 1, 2 },
	{ "[[:^alpha:]]+", NULL, "", -1, -1 },
	{ "[[:word:]]+", NULL, "a", 0, 1 },
	{ "[[:word:]]+", NULL, "", -1, -1 },
	{ "[[:space:]]+", NULL, "a\012b", 1, 2 },
	{ "[[:space:]]+", NULL, "", -1, -1 },
	{ "[[:punct:]]", NULL, "foo-bar_1", 3, 4 },
	{ "[[:punct:]]", NULL, "", -1, -1 },
	{ "[[:upper:][:digit:]]+", NULL, "ABC", 0, 3 },
	{ "[[:upper:][:digit:]]+", NULL, "", -1, -1 },
	{ "\\d+", NULL, "foo-bar_1", 8, 9 },
	{ "\\d+", NULL, "", -1, -1 },
	{ "\\D+", NULL, "a", 0, 1 },
	{ "\\D+", NULL, "", -1, -1 },
	{ "\\w+", NULL, "a", 0, 1 },
	{ "\\w+", NULL, "", -1, -1 },
	{ "\\W+", NULL, "a\012b", 1, 2 },
	{ "\\W+", NULL, "", -1, -1 },
	{ "\\s+", NULL, "a\012b", 1, 2 },
	{ "\\s+", NULL, "", -1, -1 },
	{ "\\S+", NULL, "a", 0, 1 },
	{ "\\S+", NULL, "", -1, -1 },
	{ "\\bworld\\b", NULL, "hello world", 6, 11 },
	{ "\\bworld\\b", NULL, "", -1, -1 },
	{ "\\Bor\\B", NULL, "hello world", 7, 9 },
	{ "\\Bor\\B", NULL, "", -1, -1 },
	{ "\\pL+", NULL, "a", 0, 1 },
	{ "\\pL+", NULL, "", -1, -1 },
	{ "\\p{Greek}+", NULL, "\316\261\316\262\316\263", 0, 6 },
	{ "\\p{Greek}+", NULL, "", -1, -1 },
	{ "\\PL", NULL, "a\012b", 1, 2 },
	{ "\\PL", NULL, "", -1, -1 },
	{ "\\p{^Greek}", NULL, "a", 0, 1 },
	{ "\\p{^Greek}", NULL, "", -1, -1 },
	{ "[\\p{Greek}a]+", NULL, "a", 0, 1 },
	{ "[\\p{Greek}a]+", NULL, "", -1, -1 },
	{ "[^\\p{L}]+", NULL, "a\012b", 1, 2 },
	{ "[^\\p{L}]+", NULL, "", -1, -1 },
	{ "\\p{Lu}", NULL, "ABC", 0, 1 },
	{ "\\p{Lu}", NULL, "", -1, -1 },
	{ "\\p{Any}+", NULL, "a", 0, 1 },
	{ "\\p{Any}+", NULL, "", -1, -1 },
	{ "\\pN", NULL, "foo-bar_1", 8, 9 },
	{ "\\pN", NULL, "", -1, -1 },
	{ "\\p{Han}+", NULL, "\346\227\245\346\234\254\350\252\236", 0, 9 },
	{ "\\p{Han}+", NULL, "", -1, -1 },
	{ "a*\?", NULL, "a", 0, 0 },
	{ "a+\?b", NULL, "abc", 0, 2 },
	{ "a+\?b", NULL, "", -1, -1 },
	{ "a\?\?", NULL, "a", 0, 0 },
	{ "a{2}", NULL, "aaa", 0, 2 },
	{ "a{2}", NULL, "", -1, -1 },
	{ "a{2,}", NULL, "aaa", 0, 3 },
	{ "a{2,}", NULL, "", -1, -1 },
	{ "a{1,2}", NULL, "a", 0, 1 },
	{ "a{1,2}", NULL, "", -1, -1 },
	{ "a{1,2}\?", NULL, "a", 0, 1 },
	{ "a{1,2}\?", NULL, "", -1, -1 },
	{ "a{,2}", NULL, "", -1, -1 },
	{ "a{01}", NULL, "", -1, -1 },
	{ "x{1001", NULL, "", -1, -1 },
	{ "a{", NULL, "a{2}", 0, 2 },
	{ "a{", NULL, "", -1, -1 },
	{ "{", NULL, "a{2}", 1, 2 },
	{ "{", NULL, "", -1, -1 },
	{ "}", NULL, "a{2}", 3, 4 },
	{ "}", NULL, "", -1, -1 },
	{ "\\Q.*\\E", NULL, "", -1, -1 },
	{ "\\Qab\\E+", NULL, "abc", 0, 2 },
	{ "\\Qab\\E+", NULL, "", -1, -1 },
	{ "\\Q\\E*", "error parsing regexp: missing argument to repetition operator: `*`", NULL, 0, 0 },
	{ "(a)(b)\?", NULL, "a", 0, 1 },
	{ "(a)(b)\?", NULL, "", -1, -1 },
	{ "(\?P<first>a)(\?P<second>b)", NULL, "abc", 0, 2 },
	{ "(\?P<first>a)(\?P<second>b)", NULL, "", -1, -1 },
	{ "(\?:a|b)+", NULL, "a", 0, 1 },
	{ "(\?:a|b)+", NULL, "", -1, -1 },
	{ "(a|ab)(c|bcd)(d*)", NULL, "abc", 0, 3 },
	{ "(a|ab)(c|bcd)(d*)", NULL, "", -1, -1 },
	{ "(a|b)*c", NULL, "abc", 0, 3 },
	{ "(a|b)*c", NULL, "", -1, -1 },
	{ "[]a]", NULL, "a", 0, 1 },
	{ "[]a]", NULL, "", -1, -1 },
	{ "[^]a]", NULL, "abc", 1, 2 },
	{ "[^]a]", NULL, "", -1, -1 },
	{ "[a-]", NULL, "a", 0, 1 },
	{ "[a-]", NULL, "", -1, -1 },
	{ "[-a]", NULL, "a", 0, 1 },
	{ "[-a]", NULL, "", -1, -1 },
	{ "[a-b-c]", NULL, "a", 0, 1 },
	{ "[a-b-c]", NULL, "", -1, -1 },
	{ "[\\d]", NULL, "foo-bar_1", 8, 9 },
	{ "[\\d]", NULL, "", -1, -1 },
	{ "[^\\D]", NULL, "foo-bar_1", 8, 9 },
	{ "[^\\D]", NULL, "", -1, -1 },
	{ "[\\s\\S]", NULL, "a", 0, 1 },
	{ "[\\s\\S]", NULL, "", -1, -1 },
	{ "[a\\-z]", NULL, "a", 0, 1 },
	{ "[a\\-z]", NULL, "", -1, -1 },
	{ "\\x41", NULL, "ABC", 0, 1 },
	{ "\\x41", NULL, "", -1, -1 },
	{ "\\x{263a}", NULL, "", -1, -1 },
	{ "\\x{10FFFF}", NULL, "", -1, -1 },
	{ "\\101", NULL, "ABC", 0, 1 },
	{ "\\101", NULL, "", -1, -1 },
	{ "\\0", NULL, "", -1, -1 },
	{ "\\012", NULL, "a\012b", 1, 2 },
	{ "\\012", NULL, "", -1, -1 },
	{ "\\_", NULL, "foo-bar_1", 7, 8 },
	{ "\\_", NULL, "", -1, -1 },
	{ "\\-", NULL, "foo-bar_1", 3, 4 },
	{ "\\-", NULL, "", -1, -1 },
	{ "\\.", NULL, "a.b", 1, 2 },
	{ "\\.", NULL, "", -1, -1 },
	{ "(\?i)Stra\303\237e", NULL, "", -1, -1 },
	{ "(\?U)a+", NULL, "a", 0, 1 },
	{ "(\?U)a+", NULL, "", -1, -1 },
	{ "(\?U)a+\?", NULL, "a", 0, 1 },
	{ "(\?U)a+\?", NULL, "", -1, -1 },
	{ "(\?i-s:a.)", NULL, "abc", 0, 2 },
	{ "(\?i-s:a.)", NULL, "", -1, -1 },
	{ "(\?i:a)b", NULL, "abc", 0, 2 },
	{ "(\?i:a)b", NULL, "", -1, -1 },
	{ "(\?-i)a", NULL, "a", 0, 1 },
	{ "(\?-i)a", NULL, "", -1, -1 },
	{ "(\?)", NULL, "a", 0, 0 },
	{ "a|*", "error parsing regexp: missing argument to repetition operator: `*`", NULL, 0, 0 },
	{ "*a", "error parsing regexp: missing argument to repetition operator: `*`", NULL, 0, 0 },
	{ "a**", "error parsing regexp: invalid nested repetition operator: `**`", NULL, 0, 0 },
	{ "a++", "error parsing regexp: invalid nested repetition operator: `++`", NULL, 0, 0 },
	{ "a*\?*", "error parsing regexp: invalid nested repetition operator: `*\?*`", NULL, 0, 0 },
	{ "a*\?\?", "error parsing regexp: invalid nested repetition operator: `*\?\?`", NULL, 0, 0 },
	{ "a{2}{3}", "error parsing regexp: invalid nested repetition operator: `{2}{3}`", NULL, 0, 0 },
	{ "a{2}*", "error parsing regexp: invalid nested repetition operator: `{2}*`", NULL, 0, 0 },
	{ "(\?i)*", "error parsing regexp: missing argument to repetition operator: `*`", NULL, 0, 0 },
	{ "a(\?i)*", NULL, "a", 0, 1 },
	{ "a*(\?i)*", NULL, "a", 0, 1 },
	{ "\\1", "error parsing regexp: invalid escape sequence: `\\1`", NULL, 0, 0 },
	{ "\\8", "error parsing regexp: invalid escape sequence: `\\8`", NULL, 0, 0 },
	{ "(a)\\1", "error parsing regexp: invalid escape sequence: `\\1`", NULL, 0, 0 },
	{ "(\?=a)", "error parsing regexp: invalid or unsupported Perl syntax: `(\?=`", NULL, 0, 0 },
	{ "(\?!a)", "error parsing regexp: invalid or unsupported Perl syntax: `(\?!`", NULL, 0, 0 },
	{ "(\?>a)", "error parsing regexp: invalid or unsupported Perl syntax: `(\?>`", NULL, 0, 0 },
	{ "(\?#comment)", "error parsing regexp: invalid or unsupported Perl syntax: `(\?#`", NULL, 0, 0 },
	{ "(\?x)a", "error parsing regexp: invalid or unsupported Perl syntax: `(\?x`", NULL, 0, 0 },
	{ "(\?P=name)", "error parsing regexp: invalid or unsupported Perl syntax: `(\?P`", NULL, 0, 0 },
	{ "(\?P>name)", "error parsing regexp: invalid or unsupported Perl syntax: `(\?P`", NULL, 0, 0 },
	{ "(\?'n'a)", "error parsing regexp: invalid or unsupported Perl syntax: `(\?'`", NULL, 0, 0 },
	{ "(\?P<n", "error parsing regexp: invalid named capture: `(\?P<n`", NULL, 0, 0 },
	{ "(\?P<>a)", "error parsing regexp: invalid named capture: `(\?P<>`", NULL, 0, 0 },
	{ "(\?P<x y>a)", "error parsing regexp: invalid named capture: `(\?P<x y>`", NULL, 0, 0 },
	{ "(\?i", "error parsing regexp: invalid or unsupported Perl syntax: `(\?i`", NULL, 0, 0 },
	{ "(\?-)", "error parsing regexp: invalid or unsupported Perl syntax: `(\?-)`", NULL, 0, 0 },
	{ "(\?i-)", "error parsing regexp: invalid or unsupported Perl syntax: `(\?i-)`", NULL, 0, 0 },
	{ "(\?i-i)", NULL, "a", 0, 0 },
	{ "(\?--i)", "error parsing regexp: invalid or unsupported Perl syntax: `(\?--`", NULL, 0, 0 },
	{ "a{1001}", "error parsing regexp: invalid repeat count: `{1001}`", NULL, 0, 0 },
	{ "a{1000}", NULL, "", -1, -1 },
	{ "a{1,1001}", "error parsing regexp: invalid repeat count: `{1,1001}`", NULL, 0, 0 },
	{ "a{2,1}", "error parsing regexp: invalid repeat count: `{2,1}`", NULL, 0, 0 },
	{ "a{100000}", "error parsing regexp: invalid repeat count: `{100000}`", NULL, 0, 0 },
	{ "a{1,1000}{1,1000}", "error parsing regexp: invalid nested repetition operator: `{1,1000}{1,1000}`", NULL, 0, 0 },
	{ "(a{1,1000}){1,1000}", "error parsing regexp: invalid repeat count: `{1,1000}`", NULL, 0, 0 },
	{ "((a{10}){10}){10}", NULL, "", -1, -1 },
	{ "((a{10}){10}){11}", "error parsing regexp: invalid repeat count: `{11}`", NULL, 0, 0 },
	{ "(\?:[a-z]{4}){0,250}", NULL, "a", 0, 0 },
	{ "(\?:[a-z]{4}){0,251}", "error parsing regexp: invalid repeat count: `{0,251}`", NULL, 0, 0 },
	{ "(x+x+)+y", NULL, "", -1, -1 },
	{ "(a|aa)*c", NULL, "abc", 2, 3 },
	{ "(a|aa)*c", NULL, "", -1, -1 },
	{ "[a-z", "error parsing regexp: missing closing ]: `[a-z`", NULL, 0, 0 },
	{ "[a-z)", "error parsing regexp: missing closing ]: `[a-z)`", NULL, 0, 0 },
	{ "([a-z)", "error parsing regexp: missing closing ]: `[a-z)`", NULL, 0, 0 },
	{ "[", "error parsing regexp: missing closing ]: `[`", NULL, 0, 0 },
	{ "a[", "error parsing regexp: missing closing ]: `[`", NULL, 0, 0 },
	{ "app-[", "error parsing regexp: missing closing ]: `[`", NULL, 0, 0 },
	{ "[z-a]", "error parsing regexp: invalid character class range: `z-a`", NULL, 0, 0 },
	{ "[a-Z]", "error parsing regexp: invalid character class range: `a-Z`", NULL, 0, 0 },
	{ "(\?i)[a-Z]", "error parsing regexp: invalid character class range: `a-Z`", NULL, 0, 0 },
	{ "[[:foo:]]", "error parsing regexp: invalid character class range: `[:foo:]`", NULL, 0, 0 },
	{ "[[:alpha:]", "error parsing regexp: missing closing ]: `[[:alpha:]`", NULL, 0, 0 },
	{ "[[:alpha]", NULL, "a", 0, 1 },
	{ "[[:alpha]", NULL, "", -1, -1 },
	{ "[\\b]", "error parsing regexp: invalid escape sequence: `\\b`", NULL, 0, 0 },
	{ "\\b*", NULL, "a", 0, 0 },
	{ "^*", NULL, "a", 0, 0 },
	{ "$+", NULL, "a", 1, 1 },
	{ "\\A\?", NULL, "a", 0, 0 },
	{ "\\z*", NULL, "a", 0, 0 },
	{ "(", "error parsing regexp: missing closing ): `(`", NULL, 0, 0 },
	{ ")", "error parsing regexp: unexpected ): `)`", NULL, 0, 0 },
	{ "(a))", "error parsing regexp: unexpected ): `(a))`", NULL, 0, 0 },
	{ "(a|b|", "error parsing regexp: missing closing ): `(a|b|`", NULL, 0, 0 },
	{ "a|b)", "error parsing regexp: unexpected ): `a|b)`", NULL, 0, 0 },
	{ "\\", "error parsing regexp: trailing backslash at end of expression: ``", NULL, 0, 0 },
	{ "a\\", "error parsing regexp: trailing backslash at end of expression: ``", NULL, 0, 0 },
	{ "\\C", "error parsing regexp: invalid escape sequence: `\\C`", NULL, 0, 0 },
	{ "\\Z", "error parsing regexp: invalid escape sequence: `\\Z`", NULL, 0, 0 },
	{ "\\e", "error parsing regexp: invalid escape sequence: `\\e`", NULL, 0, 0 },
	{ "\\G", "error parsing regexp: invalid escape sequence: `\\G`", NULL, 0, 0 },
	{ "\\K", "error parsing regexp: invalid escape sequence: `\\K`", NULL, 0, 0 },
	{ "\\R", "error parsing regexp: invalid escape sequence: `\\R`", NULL, 0, 0 },
	{ "\\X", "error parsing regexp: invalid escape sequence: `\\X`", NULL, 0, 0 },
	{ "\\h", "error parsing regexp: invalid escape sequence: `\\h`", NULL, 0, 0 },
	{ "\\cA", "error parsing regexp: invalid escape sequence: `\\c`", NULL, 0, 0 },
	{ "\\o{101}", "error parsing regexp: invalid escape sequence: `\\o`", NULL, 0, 0 },
	{ "\\x", "error parsing regexp: invalid escape sequence: `\\x`", NULL, 0, 0 },
	{ "\\x1", "error parsing regexp: invalid escape sequence: `\\x1`", NULL, 0, 0 },
	{ "\\xZZ", "error parsing regexp: invalid escape sequence: `\\xZZ`", NULL, 0, 0 },
	{ "\\x{", "error parsing regexp: invalid escape sequence: `\\x{`", NULL, 0, 0 },
	{ "\\x{110000}", "error parsing regexp: invalid escape sequence: `\\x{110000`", NULL, 0, 0 },
	{ "\\x{zz}", "error parsing regexp: invalid escape sequence: `\\x{z`", NULL, 0, 0 },
	{ "\\x{}", "error parsing regexp: invalid escape sequence: `\\x{}`", NULL, 0, 0 },
	{ "\\p", "error parsing regexp: invalid character class range: `\\p`", NULL, 0, 0 },
	{ "\\p{", "error parsing regexp: invalid character class range: `\\p{`", NULL, 0, 0 },
	{ "\\p{Foo}", "error parsing regexp: invalid character class range: `\\p{Foo}`", NULL, 0, 0 },
	{ "\\pX", "error parsing regexp: invalid character class range: `\\pX`", NULL, 0, 0 },
	{ "\\p{Greek", "error parsing regexp: invalid character class range: `\\p{Greek`", NULL, 0, 0 },
	{ "\\P{^Greek}", NULL, "\316\261\316\262\316\263", 0, 2 },
	{ "\\P{^Greek}", NULL, "", -1, -1 },
	{ "\\p{L", "error parsing regexp: invalid character class range: `\\p{L`", NULL, 0, 0 },
	{ "\\E", "error parsing regexp: invalid escape sequence: `\\E`", NULL, 0, 0 },
	{ "\\q", "error parsing regexp: invalid escape sequence: `\\q`", NULL, 0, 0 },
	{ "\\\303\251", "error parsing regexp: invalid escape sequence: `\\\303\251`", NULL, 0, 0 },
	{ "(\?i)\\pL", NULL, "a", 0, 1 },
	{ "(\?i)\\pL", NULL, "", -1, -1 },
	{ "(\?m)$", NULL, "a", 1, 1 },
	{ "(\?m)a$", NULL, "a", 0, 1 },
	{ "(\?m)a$", NULL, "", -1, -1 },
	{ "a$", NULL, "a", 0, 1 },
	{ "a$", NULL, "", -1, -1 },
	{ "^$", NULL, "a", -1, -1 },
	{ "(|a)*", NULL, "a", 0, 0 },
	{ "()*", NULL, "a", 0, 0 },
	{ "(\?:)*", NULL, "a", 0, 0 },
	{ "a|b|", NULL, "a", 0, 1 },
	{ "|", NULL, "a", 0, 0 },
	{ "(\?P<a>x)(\?P<a>y)", NULL, "", -1, -1 },
	{ "\\Qa\\E\\Qb", NULL, "abc", 0, 2 },
	{ "\\Qa\\E\\Qb", NULL, "", -1, -1 },
	{ "[\\x{D800}-\\x{E000}]", NULL, "", -1, -1 },
	{ "\\x{D800}", NULL, "", -1, -1 },
	{ "[[:^space:]]", NULL, "a", 0, 1 },
	{ "[[:^space:]]", NULL, "", -1, -1 },
	{ "[^\\n]+", NULL, "a", 0, 1 },
	{ "[^\\n]+", NULL, "", -1, -1 },
	{ "[\\n]", NULL, "a\012b", 1, 2 },
	{ "[\\n]", NULL, "", -1, -1 },
	{ ".+", NULL, "a", 0, 1 },
	{ ".+", NULL, "", -1, -1 },
	{ "(\?s).+", NULL, "a", 0, 1 },
	{ "(\?s).+", NULL, "", -1, -1 },
	{ "\\p{Braille}", NULL, "", -1, -1 },
	{ "\\p{Canadian_Aboriginal}", NULL, "", -1, -1 },
	{ "\\p{Latin}+", NULL, "a", 0, 1 },
	{ "\\p{Latin}+", NULL, "", -1, -1 },
	{ "\\p{Common}", NULL, "a\012b", 1, 2 },
	{ "\\p{Common}", NULL, "", -1, -1 },
	{ "\\p{Inherited}", NULL, "", -1, -1 },
	{ "\\p{L}", NULL, "a", 0, 1 },
	{ "\\p{L}", NULL, "", -1, -1 },
	{ "\\p{Lt}", NULL, "", -1, -1 },
	{ "\\p{Zs}", NULL, "hello world", 5, 6 },
	{ "\\p{Zs}", NULL, "", -1, -1 },
	{ "\\p{Cc}", NULL, "a\012b", 1, 2 },
	{ "\\p{Cc}", NULL, "", -1, -1 },
	{ "\\p{Nd}+", NULL, "foo-bar_1", 8, 9 },
	{ "\\p{Nd}+", NULL, "", -1, -1 },
	{ "[\\p{Nd}\\p{L}]+", NULL, "a", 0, 1 },
	{ "[\\p{Nd}\\p{L}]+", NULL, "", -1, -1 },
	{ "[^\\pL\\pN]+", NULL, "a\012b", 1, 2 },
	{ "[^\\pL\\pN]+", NULL, "", -1, -1 },
	{ "(\?i)[[:upper:]]+", NULL, "a", 0, 1 },
	{ "(\?i)[[:upper:]]+", NULL, "", -1, -1 },
	{ "(\?i)[^k]", NULL, "a", 0, 1 },
	{ "(\?i)[^k]", NULL, "", -1, -1 },
	{ "(\?i)\\x{212A}", NULL, "k", 0, 1 },
	{ "(\?i)\\x{212A}", NULL, "", -1, -1 },
	{ "[\\x00-\\x{10FFFF}]", NULL, "a", 0, 1 },
	{ "[\\x00-\\x{10FFFF}]", NULL, "", -1, -1 },
	{ "[^\\x00-\\x{10FFFF}]", NULL, "", -1, -1 },
	{ "\\x{0}", NULL, "", -1, -1 },
	{ "a.c", NULL, "abc", 0, 3 },
	{ "a.c", NULL, "", -1, -1 },
	{ "(\?:a(b)c|d)", NULL, "abc", 0, 3 },
	{ "(\?:a(b)c|d)", NULL, "", -1, -1 },
	{ "(a)|b", NULL, "a", 0, 1 },
	{ "(a)|b", NULL, "", -1, -1 },
	{ "(a)\?", NULL, "a", 0, 1 },
	{ "x*", NULL, "a", 0, 0 },
	{ "x*y", NULL, "x\012y\012", 2, 3 },
	{ "x*y", NULL, "", -1, -1 },
	{ "^", NULL, "a", 0, 0 },
	{ "$", NULL, "a", 1, 1 },
	{ "\\b", NULL, "a", 0, 0 },
	{ "\\b", NULL, "", -1, -1 },
	{ "\\B", NULL, "abc", 1, 1 },
	{ "\\B", NULL, "a", -1, -1 },
	{ "\\bx", NULL, "x\012y\012", 0, 1 },
	{ "\\bx", NULL, "", -1, -1 },
	{ "\377", "error parsing regexp: invalid UTF-8: `\357\277\275`", NULL, 0, 0 },
	{ "[\377]", "error parsing regexp: invalid UTF-8: `\357\277\275]`", NULL, 0, 0 },
	{ "[\\\377]", "error parsing regexp: invalid UTF-8: `\357\277\275]`", NULL, 0, 0 },
	{ "\\\377", "error parsing regexp: invalid UTF-8: `\357\277\275`", NULL, 0, 0 },
	{ "a\377b", "error parsing regexp: invalid UTF-8: `\357\277\275b`", NULL, 0, 0 },
	{ "(\?P<n\377>a)", "error parsing regexp: invalid UTF-8: `\357\277\275`", NULL, 0, 0 },
	{ "\\p{\377}", "error parsing regexp: invalid UTF-8: `\357\277\275`", NULL, 0, 0 },
	{ "((((((((((x{2}){2}){2}){2}){2}){2}){2}){2}){2}){2})", "error parsing regexp: invalid repeat count: `{2}`", NULL, 0, 0 },
};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); /* CPU time: the test machine is shared */
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int go_table_failures;

TEST(go_table)
{
	size_t n = sizeof(rows) / sizeof(*rows);
	CHECK(n >= 60);
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		struct regex *re = NULL;
		err_clear();
		int rc = regex_compile(&re, r->pattern, 0);
		bool ok = true;
		if (r->err) {
			ok = rc == ERR_INVALID && !strcmp(err_msg(), r->err);
		} else if (rc) {
			ok = false;
		} else {
			struct regex_span m;
			bool found;
			rc = regex_find(re, r->subject, strlen(r->subject), 0, &m, 1, &found);
			ok = !rc && (found ? m.start == r->start && m.end == r->end : r->start == -1);
		}
		if (!ok) {
			go_table_failures++;
			printf("#   row %zu: pattern [%s]: rc %d msg [%s], want [%s] / %d..%d\n", i, r->pattern, rc,
			       err_msg(), r->err ? r->err : "(compiles)", r->start, r->end);
		}
		regex_free(re);
	}
	printf("#   %zu table rows\n", n);
	CHECK(go_table_failures == 0);
}

static const char *compile_error(const char *pattern)
{
	struct regex *re = NULL;
	err_clear();
	int rc = regex_compile(&re, pattern, 0);
	regex_free(re);
	return rc ? err_msg() : "(compiles)";
}

/* Go 1.22 accepts (?<name>; so (?<= and (?<! read as a bad name, as Go 1.22+ says. */
TEST(go_1_22_named_groups)
{
	struct regex *re;
	REQUIRE(regex_compile(&re, "(?<year>\\d{4})-(?P<month>\\d{2})(x)?", 0) == 0);
	CHECK_INT(regex_groups(re), 3);
	CHECK_STR(regex_group_name(re, 1), "year");
	CHECK_STR(regex_group_name(re, 2), "month");
	CHECK_STR(regex_group_name(re, 3), "");
	CHECK_STR(regex_group_name(re, 9), "");
	CHECK_INT(regex_group_index(re, "month"), 2);
	CHECK_INT(regex_group_index(re, "day"), -1);
	struct regex_span s[4];
	bool found;
	REQUIRE(regex_find(re, "on 2024-05-01", 13, 0, s, 4, &found) == 0 && found);
	CHECK(s[0].start == 3 && s[0].end == 10);
	CHECK(s[1].start == 3 && s[1].end == 7);
	CHECK(s[2].start == 8 && s[2].end == 10);
	CHECK(s[3].start == -1 && s[3].end == -1);
	regex_free(re);
	CHECK_STR(compile_error("(?<=a)b"), "error parsing regexp: invalid named capture: `(?<=a)b`");
	CHECK_STR(compile_error("(?<!a)b"), "error parsing regexp: invalid named capture: `(?<!a)b`");
	CHECK_STR(compile_error("(?<a>x"), "error parsing regexp: missing closing ): `(?<a>x`");
	CHECK_STR(compile_error("(?<"), "error parsing regexp: invalid or unsupported Perl syntax: `(?<`");
	CHECK_STR(compile_error("(?<x y>a)"), "error parsing regexp: invalid named capture: `(?<x y>`");
	/* duplicate names are Go's business too: allowed, the leftmost wins */
	REQUIRE(regex_compile(&re, "(?P<a>x)(?P<a>y)", 0) == 0);
	CHECK_INT(regex_group_index(re, "a"), 1);
	regex_free(re);
	/* a name longer than PCRE2's 32-byte cap */
	REQUIRE(regex_compile(&re, "(?P<a_very_long_capture_group_name_past_pcre2s_limit>x)", 0) == 0);
	regex_free(re);
}

TEST(submatches)
{
	struct regex *re;
	struct regex_span s[4];
	bool found;
	REQUIRE(regex_compile(&re, "(a|ab)(c|bcd)(d*)", 0) == 0);
	REQUIRE(regex_find(re, "abcd", 4, 0, s, 4, &found) == 0 && found);
	/* leftmost-first, as Go: [0 4 0 1 1 4 4 4] */
	CHECK(s[0].start == 0 && s[0].end == 4 && s[1].start == 0 && s[1].end == 1);
	CHECK(s[2].start == 1 && s[2].end == 4 && s[3].start == 4 && s[3].end == 4);
	regex_free(re);
	/* from: \b sees the text before the offset */
	REQUIRE(regex_compile(&re, "\\bfoo", 0) == 0);
	REQUIRE(regex_find(re, "xfoo foo", 8, 1, s, 1, &found) == 0 && found);
	CHECK(s[0].start == 5);
	REQUIRE(regex_find(re, "foo", 3, 4, s, 1, &found) == 0);
	CHECK(!found);
	regex_free(re);
	/* NUL in pattern and subject */
	REQUIRE(regex_compile_n(&re, "a\0b", 3, 0) == 0);
	REQUIRE(regex_match(re, "xa\0b", 4, &found) == 0);
	CHECK(found);
	regex_free(re);
}

TEST(whole_string)
{
	struct regex *re;
	bool m;
	REQUIRE(regex_compile(&re, "app|web-.*", REGEX_WHOLE) == 0);
	CHECK(regex_match(re, "app", 3, &m) == 0 && m);
	CHECK(regex_match(re, "web-1", 5, &m) == 0 && m);
	CHECK(regex_match(re, "apps", 4, &m) == 0 && !m);
	CHECK(regex_match(re, "app\n", 4, &m) == 0 && !m);
	CHECK_STR(regex_pattern(re), "app|web-.*");
	regex_free(re);
	/* Go's $ is \z without (?m): no match before a final newline */
	REQUIRE(regex_compile(&re, "^(?:app)$", 0) == 0);
	CHECK(regex_match(re, "app\n", 4, &m) == 0 && !m);
	regex_free(re);
	/* messages quote the pattern as given */
	struct regex *bad = NULL;
	CHECK(regex_compile(&bad, "a(", REGEX_WHOLE) == ERR_INVALID);
	CHECK_STR(err_msg(), "error parsing regexp: missing closing ): `a(`");
	CHECK(bad == NULL);
}

/* Go's \d \w \s \b and POSIX classes are ASCII; \pL and (?i) are Unicode. */
TEST(ascii_perl_classes)
{
	static const struct {
		const char *p, *s;
		bool m;
	} t[] = {
		{ "^\\d$", "\xd9\xa3", false },  /* ARABIC-INDIC DIGIT THREE */
		{ "^\\pN$", "\xd9\xa3", true },
		{ "^\\w$", "\xc3\xa9", false },  /* e acute */
		{ "^\\pL$", "\xc3\xa9", true },
		{ "\\b", "\xc3\xa9", false },
		{ "^\\s$", "\v", false },        /* Go's \s has no \v, PCRE2's has */
		{ "^[[:space:]]$", "\v", true },
		{ "^[\\s]$", "\v", false },
		{ "^\\S$", "\v", true },
		{ "^[[:alpha:]]$", "\xc3\xa9", false },
		{ "^[[:^alpha:]]$", "\xc3\xa9", true },
		{ "^(?i)k$", "\xe2\x84\xaa", true }, /* KELVIN SIGN folds to k */
		{ "^(?i)\xc3\xa9$", "\xc3\x89", true },
		{ "^\\p{Greek}+$", "\xce\xb1\xce\xb2", true },
		{ "^\\p{greek}$", "\xce\xb1", true }, /* Go 1.25 names ignore case */
		{ "^\\p{Letter}$", "x", true },
		{ "^\\p{ASCII}$", "\xc3\xa9", false },
		{ "^\\P{Any}$", "x", false },
		{ "^.$", "\n", false },
		{ "^(?s).$", "\n", true },
		{ "(?m)^$", "a\n", true },
		{ "^(?U)a+$", "aa", true },
		{ "^(?U)(a+)", "aa", true },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		struct regex *re;
		bool m = !t[i].m;
		int rc = regex_compile(&re, t[i].p, 0);
		if (!rc) {
			rc = regex_match(re, t[i].s, strlen(t[i].s), &m);
			regex_free(re);
		}
		if (rc || m != t[i].m)
			printf("#   [%s] on [%s]: rc %d %s\n", t[i].p, t[i].s, rc, err_msg());
		CHECK(!rc && m == t[i].m);
	}
	/* (?U) swaps greediness: (a+) takes one a, (a+?) both */
	struct regex *re;
	struct regex_span s[2];
	bool found;
	REQUIRE(regex_compile(&re, "(?U)(a+)", 0) == 0);
	REQUIRE(regex_find(re, "aa", 2, 0, s, 2, &found) == 0 && found);
	CHECK(s[1].end == 1);
	regex_free(re);
	REQUIRE(regex_compile(&re, "(?U)(a+?)", 0) == 0);
	REQUIRE(regex_find(re, "aa", 2, 0, s, 2, &found) == 0 && found);
	CHECK(s[1].end == 2);
	regex_free(re);
}

/* Each pathological pattern is refused by Go's rules or bounded by the match limits: a
 * verdict (match, no match, ERR_TIMEOUT, ERR_TOOBIG) well under a second. */
TEST(pathological)
{
	char a30[31], x30[31], a44b[46];
	memset(a30, 'a', 30);
	a30[30] = '\0';
	memset(x30, 'x', 30);
	x30[30] = '\0';
	memset(a44b, 'a', 44);
	a44b[44] = 'b';
	a44b[45] = '\0';
	static char big[1 << 20];
	memset(big, 'a', sizeof(big) - 1);
	static const struct {
		const char *p;
		int subject; /* 0 a30, 1 x30, 2 a44b, 3 1 MiB of a */
		int want;    /* compile error, or match result: 1 match, 0 none, or an error code */
		bool compile_fails;
	} t[] = {
		{ "(a*)*b", 0, 0, false },
		{ "(a|aa)*c", 0, 0, false },
		{ "(x+x+)+y", 1, 0, false },
		{ "a{1,1000}{1,1000}", 0, ERR_INVALID, true },
		{ "(a{1,1000}){1,1000}", 0, ERR_INVALID, true },
		{ "((a{1,100}){1,100}){1,100}", 0, ERR_INVALID, true },
		{ "a{1,30000}", 0, ERR_INVALID, true },
		{ "(a*)\\1", 0, ERR_INVALID, true },
		{ "^(a|a)*$", 2, ERR_TIMEOUT, false },
		{ "^(?:(a|a)*)*c$", 2, 0, false },   /* no c in the subject: PCRE2 knows at once */
		{ "(x+x+)+y$|(x+x+)+z", 1, ERR_TIMEOUT, false }, /* Go: no match */
		{ "(?:a|b)*$", 3, ERR_TOOBIG, false }, /* fills the 64 MiB heap limit: allowed 3 s */
		{ "(a+)+$", 3, 1, false },
		{ "a*c", 3, 0, false },
	};
	const char *subjects[] = { a30, x30, a44b, big };
	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		double t0 = now();
		struct regex *re;
		err_clear();
		int rc = regex_compile(&re, t[i].p, 0);
		int got;
		if (rc) {
			got = rc;
		} else {
			bool m;
			const char *s = subjects[t[i].subject];
			rc = regex_match(re, s, strlen(s), &m);
			got = rc ? rc : m;
			regex_free(re);
		}
		double dt = now() - t0;
		printf("#   %-30s %-8s %.3f s %s\n", t[i].p, rc ? err_name(rc) : got ? "match" : "no match", dt,
		       rc ? err_msg() : "");
		CHECK_INT(got, t[i].want);
		CHECK(!t[i].compile_fails || !re || rc);
		CHECK(dt < (t[i].want == ERR_TOOBIG ? 3.0 : 0.9));
	}
	CHECK_STR(compile_error("a{1,1000}{1,1000}"),
		  "error parsing regexp: invalid nested repetition operator: `{1,1000}{1,1000}`");
	CHECK_STR(compile_error("(a{1,1000}){1,1000}"), "error parsing regexp: invalid repeat count: `{1,1000}`");
}

TEST(pattern_limits)
{
	size_t n = REGEX_MAX_PATTERN + 1;
	char *p = malloc(n + 1);
	memset(p, 'a', n);
	p[n] = '\0';
	struct regex *re;
	CHECK(regex_compile(&re, p, 0) == ERR_TOOBIG);
	free(p);
	/* Go's nesting limit: 999 groups deep compiles (and does not exhaust the stack), 1000 not */
	char deep[2 * 1000 + 1];
	memset(deep, '(', 999);
	memset(deep + 999, ')', 999);
	deep[1998] = '\0';
	CHECK(regex_compile(&re, deep, 0) == 0);
	regex_free(re);
	memset(deep, '(', 1000);
	memset(deep + 1000, ')', 1000);
	deep[2000] = '\0';
	CHECK(regex_compile(&re, deep, 0) == ERR_INVALID);
	CHECK(strstr(err_msg(), "expression nests too deeply") != NULL);
	/* a Unicode script newer than PCRE2's tables is a clear refusal, not a wrong answer */
	int rc = regex_compile(&re, "\\p{Kawi}", 0);
	CHECK(rc == 0 || rc == ERR_UNSUPPORTED);
	if (!rc)
		regex_free(re);
}

int main(void)
{
	RUN(go_table);
	RUN(go_1_22_named_groups);
	RUN(submatches);
	RUN(whole_string);
	RUN(ascii_perl_classes);
	RUN(pathological);
	RUN(pattern_limits);
	return test_done();
}

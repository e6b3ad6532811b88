/*
 * Go's ASCII and Unicode character classes for util/regex, written as PCRE2 class items so
 * that PCRE2's own tables and UCP setting play no part in what \d, \s, \w, [:alpha:] or
 * \p{Greek} mean: Go's \d \s \w and POSIX classes are ASCII ranges (Go's \s has no \v);
 * Unicode names follow Go 1.25 (categories, their long names, scripts, Any, ASCII, Assigned,
 * LC, compared ignoring case, '_', '-' and ' '), scripts as PCRE2's Script property (sc:).
 */
#include <stdint.h>
#include <string.h>

#include "util/buf.h"
#include "util/regex_int.h"

#include "util/banned.h"

bool rx_is_alnum(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int rx_unhex(uint32_t c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (int)(c - 'A' + 10);
	return -1;
}

bool rx_is_surrogate(uint32_t c)
{
	return c >= 0xD800 && c <= 0xDFFF;
}

/* One code point as PCRE2 pattern text (never a surrogate: callers clip those). */
void rx_add_cp(struct buf *b, uint32_t c)
{
	if (rx_is_alnum(c))
		buf_addch(b, (char)c);
	else
		buf_addf(b, "\\x{%x}", (unsigned)c);
}

void rx_add_range(struct buf *b, uint32_t lo, uint32_t hi)
{
	/* PCRE2 refuses surrogate code points in UTF mode; no UTF-8 text holds one, so a
	 * range loses nothing by skipping them */
	if (lo <= 0xDFFF && hi >= 0xD800) {
		if (lo < 0xD800)
			rx_add_range(b, lo, 0xD7FF);
		if (hi > 0xDFFF)
			rx_add_range(b, 0xE000, hi);
		return;
	}
	rx_add_cp(b, lo);
	if (hi != lo) {
		buf_addch(b, '-');
		rx_add_cp(b, hi);
	}
}

/* ---- ASCII classes: Go's \d \s \w and POSIX [:name:] ------------------------------------ */

static const struct rx_ascii_class perl_classes[] = {
	{ "d", "09" },
	{ "s", "\t\n\f\r  " },
	{ "w", "09AZ__az" },
};

static const struct rx_ascii_class posix_classes[] = {
	{ "alnum", "09AZaz" },
	{ "alpha", "AZaz" },
	{ "ascii", "\x01\x7f" }, /* and NUL: see rx_add_ascii */
	{ "blank", "\t\t  " },
	{ "cntrl", "\x01\x1f\x7f\x7f" },
	{ "digit", "09" },
	{ "graph", "!~" },
	{ "lower", "az" },
	{ "print", " ~" },
	{ "punct", "!/:@[`{~" },
	{ "space", "\t\r  " },
	{ "upper", "AZ" },
	{ "word", "09AZ__az" },
	{ "xdigit", "09AFaf" },
};

/* Appends the class (or its complement within all of Unicode) as class items. NUL starts
 * the ranges of ascii and cntrl, which a C string cannot hold. */
void rx_add_ascii(struct buf *b, const struct rx_ascii_class *c, bool negate)
{
	bool nul = !strcmp(c->name, "ascii") || !strcmp(c->name, "cntrl");
	size_t n = strlen(c->ranges);
	if (!negate) {
		for (size_t i = 0; i < n; i += 2) {
			uint32_t lo = (unsigned char)c->ranges[i], hi = (unsigned char)c->ranges[i + 1];
			rx_add_range(b, nul && i == 0 ? 0 : lo, hi);
		}
		return;
	}
	uint32_t next = 0;
	for (size_t i = 0; i < n; i += 2) {
		uint32_t lo = (unsigned char)c->ranges[i], hi = (unsigned char)c->ranges[i + 1];
		if (nul && i == 0)
			lo = 0;
		if (lo > next)
			rx_add_range(b, next, lo - 1);
		next = hi + 1;
	}
	rx_add_range(b, next, 0x10FFFF);
}

const struct rx_ascii_class *rx_perl_class(char c, bool *negate)
{
	*negate = c == 'D' || c == 'S' || c == 'W';
	switch (c) {
	case 'd':
	case 'D':
		return &perl_classes[0];
	case 's':
	case 'S':
		return &perl_classes[1];
	case 'w':
	case 'W':
		return &perl_classes[2];
	}
	return NULL;
}

/* ---- Unicode classes ------------------------------------------------------------------- */

static const char *const categories[] = {
	"C", "Cc", "Cf", "Cn", "Co", "Cs", "L", "LC", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc",
	"Me", "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S",
	"Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs",
};

/* Unicode's long names of the categories (PropertyValueAliases.txt, as Go 1.25 accepts). */
static const char *const category_aliases[][2] = {
	{ "Other", "C" }, { "Control", "Cc" }, { "cntrl", "Cc" }, { "Format", "Cf" },
	{ "Unassigned", "Cn" }, { "Private_Use", "Co" }, { "Surrogate", "Cs" },
	{ "Letter", "L" }, { "Cased_Letter", "LC" }, { "Lowercase_Letter", "Ll" },
	{ "Modifier_Letter", "Lm" }, { "Other_Letter", "Lo" }, { "Titlecase_Letter", "Lt" },
	{ "Uppercase_Letter", "Lu" }, { "Mark", "M" }, { "Combining_Mark", "M" },
	{ "Spacing_Mark", "Mc" }, { "Enclosing_Mark", "Me" }, { "Nonspacing_Mark", "Mn" },
	{ "Number", "N" }, { "Decimal_Number", "Nd" }, { "digit", "Nd" },
	{ "Letter_Number", "Nl" }, { "Other_Number", "No" }, { "Punctuation", "P" },
	{ "punct", "P" }, { "Connector_Punctuation", "Pc" }, { "Dash_Punctuation", "Pd" },
	{ "Close_Punctuation", "Pe" }, { "Final_Punctuation", "Pf" },
	{ "Initial_Punctuation", "Pi" }, { "Other_Punctuation", "Po" },
	{ "Open_Punctuation", "Ps" }, { "Symbol", "S" }, { "Currency_Symbol", "Sc" },
	{ "Modifier_Symbol", "Sk" }, { "Math_Symbol", "Sm" }, { "Other_Symbol", "So" },
	{ "Separator", "Z" }, { "Line_Separator", "Zl" }, { "Paragraph_Separator", "Zp" },
	{ "Space_Separator", "Zs" },
};

/* Go's unicode.Scripts (Unicode 15.0). */
static const char *const scripts[] = {
	"Adlam", "Ahom", "Anatolian_Hieroglyphs", "Arabic", "Armenian", "Avestan", "Balinese",
	"Bamum", "Bassa_Vah", "Batak", "Bengali", "Bhaiksuki", "Bopomofo", "Brahmi", "Braille",
	"Buginese", "Buhid", "Canadian_Aboriginal", "Carian", "Caucasian_Albanian", "Chakma",
	"Cham", "Cherokee", "Chorasmian", "Common", "Coptic", "Cuneiform", "Cypriot",
	"Cypro_Minoan", "Cyrillic", "Deseret", "Devanagari", "Dives_Akuru", "Dogra", "Duployan",
	"Egyptian_Hieroglyphs", "Elbasan", "Elymaic", "Ethiopic", "Georgian", "Glagolitic",
	"Gothic", "Grantha", "Greek", "Gujarati", "Gunjala_Gondi", "Gurmukhi", "Han", "Hangul",
	"Hanifi_Rohingya", "Hanunoo", "Hatran", "Hebrew", "Hiragana", "Imperial_Aramaic",
	"Inherited", "Inscriptional_Pahlavi", "Inscriptional_Parthian", "Javanese", "Kaithi",
	"Kannada", "Katakana", "Kawi", "Kayah_Li", "Kharoshthi", "Khitan_Small_Script", "Khmer",
	"Khojki", "Khudawadi", "Lao", "Latin", "Lepcha", "Limbu", "Linear_A", "Linear_B", "Lisu",
	"Lycian", "Lydian", "Mahajani", "Makasar", "Malayalam", "Mandaic", "Manichaean",
	"Marchen", "Masaram_Gondi", "Medefaidrin", "Meetei_Mayek", "Mende_Kikakui",
	"Meroitic_Cursive", "Meroitic_Hieroglyphs", "Miao", "Modi", "Mongolian", "Mro", "Multani",
	"Myanmar", "Nabataean", "Nag_Mundari", "Nandinagari", "New_Tai_Lue", "Newa", "Nko",
	"Nushu", "Nyiakeng_Puachue_Hmong", "Ogham", "Ol_Chiki", "Old_Hungarian", "Old_Italic",
	"Old_North_Arabian", "Old_Permic", "Old_Persian", "Old_Sogdian", "Old_South_Arabian",
	"Old_Turkic", "Old_Uyghur", "Oriya", "Osage", "Osmanya", "Pahawh_Hmong", "Palmyrene",
	"Pau_Cin_Hau", "Phags_Pa", "Phoenician", "Psalter_Pahlavi", "Rejang", "Runic",
	"Samaritan", "Saurashtra", "Sharada", "Shavian", "Siddham", "SignWriting", "Sinhala",
	"Sogdian", "Sora_Sompeng", "Soyombo", "Sundanese", "Syloti_Nagri", "Syriac", "Tagalog",
	"Tagbanwa", "Tai_Le", "Tai_Tham", "Tai_Viet", "Takri", "Tamil", "Tangsa", "Tangut",
	"Telugu", "Thaana", "Thai", "Tibetan", "Tifinagh", "Tirhuta", "Toto", "Ugaritic", "Vai",
	"Vithkuqi", "Wancho", "Warang_Citi", "Yezidi", "Yi", "Zanabazar_Square",
};

/* Go 1.25's canonicalName, compared: case, '_', '-' and ' ' do not count. */
static bool name_eq(const char *a, size_t an, const char *b)
{
	size_t i = 0;
	for (;;) {
		while (i < an && (a[i] == '_' || a[i] == '-' || a[i] == ' '))
			i++;
		while (*b == '_' || *b == '-' || *b == ' ')
			b++;
		if (i == an || !*b)
			return i == an && !*b;
		char x = a[i], y = *b;
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
		i++;
		b++;
	}
}

/* Appends the class items for Unicode class name (sign > 0) or its complement; false when
 * Go knows no such name. */
bool rx_add_unicode(struct buf *b, const char *name, size_t n, int sign)
{
	const char *p = sign > 0 ? "p" : "P", *q = sign > 0 ? "P" : "p";
	if (name_eq(name, n, "Any")) {
		if (sign > 0)
			rx_add_range(b, 0, 0x10FFFF);
		return true;
	}
	if (name_eq(name, n, "ASCII")) {
		rx_add_range(b, sign > 0 ? 0 : 0x80, sign > 0 ? 0x7F : 0x10FFFF);
		return true;
	}
	if (name_eq(name, n, "Assigned")) {
		buf_addf(b, "\\%s{Cn}", q);
		return true;
	}
	const char *cat = NULL;
	for (size_t i = 0; !cat && i < sizeof(categories) / sizeof(*categories); i++)
		if (name_eq(name, n, categories[i]))
			cat = categories[i];
	for (size_t i = 0; !cat && i < sizeof(category_aliases) / sizeof(*category_aliases); i++)
		if (name_eq(name, n, category_aliases[i][0]))
			cat = category_aliases[i][1];
	if (cat) {
		if (!strcmp(cat, "C")) {
			/* Go's C is Cc|Cf|Co|Cs; PCRE2's also holds Cn */
			if (sign > 0)
				buf_adds(b, "\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}");
			else
				buf_adds(b, "\\P{C}\\p{Cn}");
		} else {
			buf_addf(b, "\\%s{%s}", p, !strcmp(cat, "LC") ? "L&" : cat);
		}
		return true;
	}
	for (size_t i = 0; i < sizeof(scripts) / sizeof(*scripts); i++) {
		if (name_eq(name, n, scripts[i])) {
			/* sc: is the Script property; PCRE2's bare \p{Greek} means Script_Extensions */
			buf_addf(b, "\\%s{sc:%s}", p, scripts[i]);
			return true;
		}
	}
	return false;
}

const struct rx_ascii_class *rx_posix_class(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(posix_classes) / sizeof(*posix_classes); i++)
		if (strlen(posix_classes[i].name) == n && !memcmp(posix_classes[i].name, name, n))
			return &posix_classes[i];
	return NULL;
}

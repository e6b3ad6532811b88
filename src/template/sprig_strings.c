/*
 * sprig's string functions as Helm gets them (sprig v3.3 strings.go, regex.go, url.go and
 * the goutils/xstrings helpers it calls), with Go's semantics underneath: strings.ToUpper
 * and Title on Unicode, strings.Trim's cutsets, path and path/filepath, net/url's Parse
 * and URL.String, and regexp through util/regex.h (Go RE2 syntax; $1 and ${name} expand
 * as Regexp.Expand does). Also the helpers sprig_text.h shares with the list and dict
 * files (strval, strslice, reflect's kinds, cast.ToInt).
 *
 * Strings are bytes, as in Go: functions that work on runes decode UTF-8 and, as Go's
 * strings.Map and []rune do, turn each invalid byte into U+FFFD; the goutils functions
 * that index bytes (initials, nospace, abbrev, wrap) index bytes here too. Unicode
 * classes and case mappings come from tables generated from Go's unicode package.
 *
 * Untrusted input: every string a function builds is capped at SPRIG_STR_MAX (repeat,
 * indent, replace, wrap ...), and regex matching runs under util/regex.h's step limits.
 */
#include "template/sprig.h"
#include "template/sprig_text.h"
#include "template/template_int.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/regex.h"
#include "util/utf8.h"
#include "util/banned.h"

/* ---- Unicode ---------------------------------------------------------------------- */

struct urange {
	uint32_t lo, hi;
};

struct ucase {
	uint32_t lo, hi;
	int32_t delta[3]; /* to upper, lower, title; UPPER_LOWER for alternating pairs */
};

#define UPPER_LOWER (0x10FFFF + 1)

/* Generated from Go 1.19's unicode package (Unicode 13.0.0) by a throwaway program:
 * ranges of code points; case deltas as unicode.CaseRanges (upper, lower, title). */
static const struct urange u_upper[] = {
	{0x41,0x5a}, {0xc0,0xd6}, {0xd8,0xde}, {0x100,0x100},
	{0x102,0x102}, {0x104,0x104}, {0x106,0x106}, {0x108,0x108},
	{0x10a,0x10a}, {0x10c,0x10c}, {0x10e,0x10e}, {0x110,0x110},
	{0x112,0x112}, {0x114,0x114}, {0x116,0x116}, {0x118,0x118},
	{0x11a,0x11a}, {0x11c,0x11c}, {0x11e,0x11e}, {0x120,0x120},
	{0x122,0x122}, {0x124,0x124}, {0x126,0x126}, {0x128,0x128},
	{0x12a,0x12a}, {0x12c,0x12c}, {0x12e,0x12e}, {0x130,0x130},
	{0x132,0x132}, {0x134,0x134}, {0x136,0x136}, {0x139,0x139},
	{0x13b,0x13b}, {0x13d,0x13d}, {0x13f,0x13f}, {0x141,0x141},
	{0x143,0x143}, {0x145,0x145}, {0x147,0x147}, {0x14a,0x14a},
	{0x14c,0x14c}, {0x14e,0x14e}, {0x150,0x150}, {0x152,0x152},
	{0x154,0x154}, {0x156,0x156}, {0x158,0x158}, {0x15a,0x15a},
	{0x15c,0x15c}, {0x15e,0x15e}, {0x160,0x160}, {0x162,0x162},
	{0x164,0x164}, {0x166,0x166}, {0x168,0x168}, {0x16a,0x16a},
	{0x16c,0x16c}, {0x16e,0x16e}, {0x170,0x170}, {0x172,0x172},
	{0x174,0x174}, {0x176,0x176}, {0x178,0x179}, {0x17b,0x17b},
	{0x17d,0x17d}, {0x181,0x182}, {0x184,0x184}, {0x186,0x187},
	{0x189,0x18b}, {0x18e,0x191}, {0x193,0x194}, {0x196,0x198},
	{0x19c,0x19d}, {0x19f,0x1a0}, {0x1a2,0x1a2}, {0x1a4,0x1a4},
	{0x1a6,0x1a7}, {0x1a9,0x1a9}, {0x1ac,0x1ac}, {0x1ae,0x1af},
	{0x1b1,0x1b3}, {0x1b5,0x1b5}, {0x1b7,0x1b8}, {0x1bc,0x1bc},
	{0x1c4,0x1c4}, {0x1c7,0x1c7}, {0x1ca,0x1ca}, {0x1cd,0x1cd},
	{0x1cf,0x1cf}, {0x1d1,0x1d1}, {0x1d3,0x1d3}, {0x1d5,0x1d5},
	{0x1d7,0x1d7}, {0x1d9,0x1d9}, {0x1db,0x1db}, {0x1de,0x1de},
	{0x1e0,0x1e0}, {0x1e2,0x1e2}, {0x1e4,0x1e4}, {0x1e6,0x1e6},
	{0x1e8,0x1e8}, {0x1ea,0x1ea}, {0x1ec,0x1ec}, {0x1ee,0x1ee},
	{0x1f1,0x1f1}, {0x1f4,0x1f4}, {0x1f6,0x1f8}, {0x1fa,0x1fa},
	{0x1fc,0x1fc}, {0x1fe,0x1fe}, {0x200,0x200}, {0x202,0x202},
	{0x204,0x204}, {0x206,0x206}, {0x208,0x208}, {0x20a,0x20a},
	{0x20c,0x20c}, {0x20e,0x20e}, {0x210,0x210}, {0x212,0x212},
	{0x214,0x214}, {0x216,0x216}, {0x218,0x218}, {0x21a,0x21a},
	{0x21c,0x21c}, {0x21e,0x21e}, {0x220,0x220}, {0x222,0x222},
	{0x224,0x224}, {0x226,0x226}, {0x228,0x228}, {0x22a,0x22a},
	{0x22c,0x22c}, {0x22e,0x22e}, {0x230,0x230}, {0x232,0x232},
	{0x23a,0x23b}, {0x23d,0x23e}, {0x241,0x241}, {0x243,0x246},
	{0x248,0x248}, {0x24a,0x24a}, {0x24c,0x24c}, {0x24e,0x24e},
	{0x370,0x370}, {0x372,0x372}, {0x376,0x376}, {0x37f,0x37f},
	{0x386,0x386}, {0x388,0x38a}, {0x38c,0x38c}, {0x38e,0x38f},
	{0x391,0x3a1}, {0x3a3,0x3ab}, {0x3cf,0x3cf}, {0x3d2,0x3d4},
	{0x3d8,0x3d8}, {0x3da,0x3da}, {0x3dc,0x3dc}, {0x3de,0x3de},
	{0x3e0,0x3e0}, {0x3e2,0x3e2}, {0x3e4,0x3e4}, {0x3e6,0x3e6},
	{0x3e8,0x3e8}, {0x3ea,0x3ea}, {0x3ec,0x3ec}, {0x3ee,0x3ee},
	{0x3f4,0x3f4}, {0x3f7,0x3f7}, {0x3f9,0x3fa}, {0x3fd,0x42f},
	{0x460,0x460}, {0x462,0x462}, {0x464,0x464}, {0x466,0x466},
	{0x468,0x468}, {0x46a,0x46a}, {0x46c,0x46c}, {0x46e,0x46e},
	{0x470,0x470}, {0x472,0x472}, {0x474,0x474}, {0x476,0x476},
	{0x478,0x478}, {0x47a,0x47a}, {0x47c,0x47c}, {0x47e,0x47e},
	{0x480,0x480}, {0x48a,0x48a}, {0x48c,0x48c}, {0x48e,0x48e},
	{0x490,0x490}, {0x492,0x492}, {0x494,0x494}, {0x496,0x496},
	{0x498,0x498}, {0x49a,0x49a}, {0x49c,0x49c}, {0x49e,0x49e},
	{0x4a0,0x4a0}, {0x4a2,0x4a2}, {0x4a4,0x4a4}, {0x4a6,0x4a6},
	{0x4a8,0x4a8}, {0x4aa,0x4aa}, {0x4ac,0x4ac}, {0x4ae,0x4ae},
	{0x4b0,0x4b0}, {0x4b2,0x4b2}, {0x4b4,0x4b4}, {0x4b6,0x4b6},
	{0x4b8,0x4b8}, {0x4ba,0x4ba}, {0x4bc,0x4bc}, {0x4be,0x4be},
	{0x4c0,0x4c1}, {0x4c3,0x4c3}, {0x4c5,0x4c5}, {0x4c7,0x4c7},
	{0x4c9,0x4c9}, {0x4cb,0x4cb}, {0x4cd,0x4cd}, {0x4d0,0x4d0},
	{0x4d2,0x4d2}, {0x4d4,0x4d4}, {0x4d6,0x4d6}, {0x4d8,0x4d8},
	{0x4da,0x4da}, {0x4dc,0x4dc}, {0x4de,0x4de}, {0x4e0,0x4e0},
	{0x4e2,0x4e2}, {0x4e4,0x4e4}, {0x4e6,0x4e6}, {0x4e8,0x4e8},
	{0x4ea,0x4ea}, {0x4ec,0x4ec}, {0x4ee,0x4ee}, {0x4f0,0x4f0},
	{0x4f2,0x4f2}, {0x4f4,0x4f4}, {0x4f6,0x4f6}, {0x4f8,0x4f8},
	{0x4fa,0x4fa}, {0x4fc,0x4fc}, {0x4fe,0x4fe}, {0x500,0x500},
	{0x502,0x502}, {0x504,0x504}, {0x506,0x506}, {0x508,0x508},
	{0x50a,0x50a}, {0x50c,0x50c}, {0x50e,0x50e}, {0x510,0x510},
	{0x512,0x512}, {0x514,0x514}, {0x516,0x516}, {0x518,0x518},
	{0x51a,0x51a}, {0x51c,0x51c}, {0x51e,0x51e}, {0x520,0x520},
	{0x522,0x522}, {0x524,0x524}, {0x526,0x526}, {0x528,0x528},
	{0x52a,0x52a}, {0x52c,0x52c}, {0x52e,0x52e}, {0x531,0x556},
	{0x10a0,0x10c5}, {0x10c7,0x10c7}, {0x10cd,0x10cd}, {0x13a0,0x13f5},
	{0x1c90,0x1cba}, {0x1cbd,0x1cbf}, {0x1e00,0x1e00}, {0x1e02,0x1e02},
	{0x1e04,0x1e04}, {0x1e06,0x1e06}, {0x1e08,0x1e08}, {0x1e0a,0x1e0a},
	{0x1e0c,0x1e0c}, {0x1e0e,0x1e0e}, {0x1e10,0x1e10}, {0x1e12,0x1e12},
	{0x1e14,0x1e14}, {0x1e16,0x1e16}, {0x1e18,0x1e18}, {0x1e1a,0x1e1a},
	{0x1e1c,0x1e1c}, {0x1e1e,0x1e1e}, {0x1e20,0x1e20}, {0x1e22,0x1e22},
	{0x1e24,0x1e24}, {0x1e26,0x1e26}, {0x1e28,0x1e28}, {0x1e2a,0x1e2a},
	{0x1e2c,0x1e2c}, {0x1e2e,0x1e2e}, {0x1e30,0x1e30}, {0x1e32,0x1e32},
	{0x1e34,0x1e34}, {0x1e36,0x1e36}, {0x1e38,0x1e38}, {0x1e3a,0x1e3a},
	{0x1e3c,0x1e3c}, {0x1e3e,0x1e3e}, {0x1e40,0x1e40}, {0x1e42,0x1e42},
	{0x1e44,0x1e44}, {0x1e46,0x1e46}, {0x1e48,0x1e48}, {0x1e4a,0x1e4a},
	{0x1e4c,0x1e4c}, {0x1e4e,0x1e4e}, {0x1e50,0x1e50}, {0x1e52,0x1e52},
	{0x1e54,0x1e54}, {0x1e56,0x1e56}, {0x1e58,0x1e58}, {0x1e5a,0x1e5a},
	{0x1e5c,0x1e5c}, {0x1e5e,0x1e5e}, {0x1e60,0x1e60}, {0x1e62,0x1e62},
	{0x1e64,0x1e64}, {0x1e66,0x1e66}, {0x1e68,0x1e68}, {0x1e6a,0x1e6a},
	{0x1e6c,0x1e6c}, {0x1e6e,0x1e6e}, {0x1e70,0x1e70}, {0x1e72,0x1e72},
	{0x1e74,0x1e74}, {0x1e76,0x1e76}, {0x1e78,0x1e78}, {0x1e7a,0x1e7a},
	{0x1e7c,0x1e7c}, {0x1e7e,0x1e7e}, {0x1e80,0x1e80}, {0x1e82,0x1e82},
	{0x1e84,0x1e84}, {0x1e86,0x1e86}, {0x1e88,0x1e88}, {0x1e8a,0x1e8a},
	{0x1e8c,0x1e8c}, {0x1e8e,0x1e8e}, {0x1e90,0x1e90}, {0x1e92,0x1e92},
	{0x1e94,0x1e94}, {0x1e9e,0x1e9e}, {0x1ea0,0x1ea0}, {0x1ea2,0x1ea2},
	{0x1ea4,0x1ea4}, {0x1ea6,0x1ea6}, {0x1ea8,0x1ea8}, {0x1eaa,0x1eaa},
	{0x1eac,0x1eac}, {0x1eae,0x1eae}, {0x1eb0,0x1eb0}, {0x1eb2,0x1eb2},
	{0x1eb4,0x1eb4}, {0x1eb6,0x1eb6}, {0x1eb8,0x1eb8}, {0x1eba,0x1eba},
	{0x1ebc,0x1ebc}, {0x1ebe,0x1ebe}, {0x1ec0,0x1ec0}, {0x1ec2,0x1ec2},
	{0x1ec4,0x1ec4}, {0x1ec6,0x1ec6}, {0x1ec8,0x1ec8}, {0x1eca,0x1eca},
	{0x1ecc,0x1ecc}, {0x1ece,0x1ece}, {0x1ed0,0x1ed0}, {0x1ed2,0x1ed2},
	{0x1ed4,0x1ed4}, {0x1ed6,0x1ed6}, {0x1ed8,0x1ed8}, {0x1eda,0x1eda},
	{0x1edc,0x1edc}, {0x1ede,0x1ede}, {0x1ee0,0x1ee0}, {0x1ee2,0x1ee2},
	{0x1ee4,0x1ee4}, {0x1ee6,0x1ee6}, {0x1ee8,0x1ee8}, {0x1eea,0x1eea},
	{0x1eec,0x1eec}, {0x1eee,0x1eee}, {0x1ef0,0x1ef0}, {0x1ef2,0x1ef2},
	{0x1ef4,0x1ef4}, {0x1ef6,0x1ef6}, {0x1ef8,0x1ef8}, {0x1efa,0x1efa},
	{0x1efc,0x1efc}, {0x1efe,0x1efe}, {0x1f08,0x1f0f}, {0x1f18,0x1f1d},
	{0x1f28,0x1f2f}, {0x1f38,0x1f3f}, {0x1f48,0x1f4d}, {0x1f59,0x1f59},
	{0x1f5b,0x1f5b}, {0x1f5d,0x1f5d}, {0x1f5f,0x1f5f}, {0x1f68,0x1f6f},
	{0x1fb8,0x1fbb}, {0x1fc8,0x1fcb}, {0x1fd8,0x1fdb}, {0x1fe8,0x1fec},
	{0x1ff8,0x1ffb}, {0x2102,0x2102}, {0x2107,0x2107}, {0x210b,0x210d},
	{0x2110,0x2112}, {0x2115,0x2115}, {0x2119,0x211d}, {0x2124,0x2124},
	{0x2126,0x2126}, {0x2128,0x2128}, {0x212a,0x212d}, {0x2130,0x2133},
	{0x213e,0x213f}, {0x2145,0x2145}, {0x2183,0x2183}, {0x2c00,0x2c2e},
	{0x2c60,0x2c60}, {0x2c62,0x2c64}, {0x2c67,0x2c67}, {0x2c69,0x2c69},
	{0x2c6b,0x2c6b}, {0x2c6d,0x2c70}, {0x2c72,0x2c72}, {0x2c75,0x2c75},
	{0x2c7e,0x2c80}, {0x2c82,0x2c82}, {0x2c84,0x2c84}, {0x2c86,0x2c86},
	{0x2c88,0x2c88}, {0x2c8a,0x2c8a}, {0x2c8c,0x2c8c}, {0x2c8e,0x2c8e},
	{0x2c90,0x2c90}, {0x2c92,0x2c92}, {0x2c94,0x2c94}, {0x2c96,0x2c96},
	{0x2c98,0x2c98}, {0x2c9a,0x2c9a}, {0x2c9c,0x2c9c}, {0x2c9e,0x2c9e},
	{0x2ca0,0x2ca0}, {0x2ca2,0x2ca2}, {0x2ca4,0x2ca4}, {0x2ca6,0x2ca6},
	{0x2ca8,0x2ca8}, {0x2caa,0x2caa}, {0x2cac,0x2cac}, {0x2cae,0x2cae},
	{0x2cb0,0x2cb0}, {0x2cb2,0x2cb2}, {0x2cb4,0x2cb4}, {0x2cb6,0x2cb6},
	{0x2cb8,0x2cb8}, {0x2cba,0x2cba}, {0x2cbc,0x2cbc}, {0x2cbe,0x2cbe},
	{0x2cc0,0x2cc0}, {0x2cc2,0x2cc2}, {0x2cc4,0x2cc4}, {0x2cc6,0x2cc6},
	{0x2cc8,0x2cc8}, {0x2cca,0x2cca}, {0x2ccc,0x2ccc}, {0x2cce,0x2cce},
	{0x2cd0,0x2cd0}, {0x2cd2,0x2cd2}, {0x2cd4,0x2cd4}, {0x2cd6,0x2cd6},
	{0x2cd8,0x2cd8}, {0x2cda,0x2cda}, {0x2cdc,0x2cdc}, {0x2cde,0x2cde},
	{0x2ce0,0x2ce0}, {0x2ce2,0x2ce2}, {0x2ceb,0x2ceb}, {0x2ced,0x2ced},
	{0x2cf2,0x2cf2}, {0xa640,0xa640}, {0xa642,0xa642}, {0xa644,0xa644},
	{0xa646,0xa646}, {0xa648,0xa648}, {0xa64a,0xa64a}, {0xa64c,0xa64c},
	{0xa64e,0xa64e}, {0xa650,0xa650}, {0xa652,0xa652}, {0xa654,0xa654},
	{0xa656,0xa656}, {0xa658,0xa658}, {0xa65a,0xa65a}, {0xa65c,0xa65c},
	{0xa65e,0xa65e}, {0xa660,0xa660}, {0xa662,0xa662}, {0xa664,0xa664},
	{0xa666,0xa666}, {0xa668,0xa668}, {0xa66a,0xa66a}, {0xa66c,0xa66c},
	{0xa680,0xa680}, {0xa682,0xa682}, {0xa684,0xa684}, {0xa686,0xa686},
	{0xa688,0xa688}, {0xa68a,0xa68a}, {0xa68c,0xa68c}, {0xa68e,0xa68e},
	{0xa690,0xa690}, {0xa692,0xa692}, {0xa694,0xa694}, {0xa696,0xa696},
	{0xa698,0xa698}, {0xa69a,0xa69a}, {0xa722,0xa722}, {0xa724,0xa724},
	{0xa726,0xa726}, {0xa728,0xa728}, {0xa72a,0xa72a}, {0xa72c,0xa72c},
	{0xa72e,0xa72e}, {0xa732,0xa732}, {0xa734,0xa734}, {0xa736,0xa736},
	{0xa738,0xa738}, {0xa73a,0xa73a}, {0xa73c,0xa73c}, {0xa73e,0xa73e},
	{0xa740,0xa740}, {0xa742,0xa742}, {0xa744,0xa744}, {0xa746,0xa746},
	{0xa748,0xa748}, {0xa74a,0xa74a}, {0xa74c,0xa74c}, {0xa74e,0xa74e},
	{0xa750,0xa750}, {0xa752,0xa752}, {0xa754,0xa754}, {0xa756,0xa756},
	{0xa758,0xa758}, {0xa75a,0xa75a}, {0xa75c,0xa75c}, {0xa75e,0xa75e},
	{0xa760,0xa760}, {0xa762,0xa762}, {0xa764,0xa764}, {0xa766,0xa766},
	{0xa768,0xa768}, {0xa76a,0xa76a}, {0xa76c,0xa76c}, {0xa76e,0xa76e},
	{0xa779,0xa779}, {0xa77b,0xa77b}, {0xa77d,0xa77e}, {0xa780,0xa780},
	{0xa782,0xa782}, {0xa784,0xa784}, {0xa786,0xa786}, {0xa78b,0xa78b},
	{0xa78d,0xa78d}, {0xa790,0xa790}, {0xa792,0xa792}, {0xa796,0xa796},
	{0xa798,0xa798}, {0xa79a,0xa79a}, {0xa79c,0xa79c}, {0xa79e,0xa79e},
	{0xa7a0,0xa7a0}, {0xa7a2,0xa7a2}, {0xa7a4,0xa7a4}, {0xa7a6,0xa7a6},
	{0xa7a8,0xa7a8}, {0xa7aa,0xa7ae}, {0xa7b0,0xa7b4}, {0xa7b6,0xa7b6},
	{0xa7b8,0xa7b8}, {0xa7ba,0xa7ba}, {0xa7bc,0xa7bc}, {0xa7be,0xa7be},
	{0xa7c2,0xa7c2}, {0xa7c4,0xa7c7}, {0xa7c9,0xa7c9}, {0xa7f5,0xa7f5},
	{0xff21,0xff3a}, {0x10400,0x10427}, {0x104b0,0x104d3}, {0x10c80,0x10cb2},
	{0x118a0,0x118bf}, {0x16e40,0x16e5f}, {0x1d400,0x1d419}, {0x1d434,0x1d44d},
	{0x1d468,0x1d481}, {0x1d49c,0x1d49c}, {0x1d49e,0x1d49f}, {0x1d4a2,0x1d4a2},
	{0x1d4a5,0x1d4a6}, {0x1d4a9,0x1d4ac}, {0x1d4ae,0x1d4b5}, {0x1d4d0,0x1d4e9},
	{0x1d504,0x1d505}, {0x1d507,0x1d50a}, {0x1d50d,0x1d514}, {0x1d516,0x1d51c},
	{0x1d538,0x1d539}, {0x1d53b,0x1d53e}, {0x1d540,0x1d544}, {0x1d546,0x1d546},
	{0x1d54a,0x1d550}, {0x1d56c,0x1d585}, {0x1d5a0,0x1d5b9}, {0x1d5d4,0x1d5ed},
	{0x1d608,0x1d621}, {0x1d63c,0x1d655}, {0x1d670,0x1d689}, {0x1d6a8,0x1d6c0},
	{0x1d6e2,0x1d6fa}, {0x1d71c,0x1d734}, {0x1d756,0x1d76e}, {0x1d790,0x1d7a8},
	{0x1d7ca,0x1d7ca}, {0x1e900,0x1e921},
};
static const struct urange u_lower[] = {
	{0x61,0x7a}, {0xb5,0xb5}, {0xdf,0xf6}, {0xf8,0xff},
	{0x101,0x101}, {0x103,0x103}, {0x105,0x105}, {0x107,0x107},
	{0x109,0x109}, {0x10b,0x10b}, {0x10d,0x10d}, {0x10f,0x10f},
	{0x111,0x111}, {0x113,0x113}, {0x115,0x115}, {0x117,0x117},
	{0x119,0x119}, {0x11b,0x11b}, {0x11d,0x11d}, {0x11f,0x11f},
	{0x121,0x121}, {0x123,0x123}, {0x125,0x125}, {0x127,0x127},
	{0x129,0x129}, {0x12b,0x12b}, {0x12d,0x12d}, {0x12f,0x12f},
	{0x131,0x131}, {0x133,0x133}, {0x135,0x135}, {0x137,0x138},
	{0x13a,0x13a}, {0x13c,0x13c}, {0x13e,0x13e}, {0x140,0x140},
	{0x142,0x142}, {0x144,0x144}, {0x146,0x146}, {0x148,0x149},
	{0x14b,0x14b}, {0x14d,0x14d}, {0x14f,0x14f}, {0x151,0x151},
	{0x153,0x153}, {0x155,0x155}, {0x157,0x157}, {0x159,0x159},
	{0x15b,0x15b}, {0x15d,0x15d}, {0x15f,0x15f}, {0x161,0x161},
	{0x163,0x163}, {0x165,0x165}, {0x167,0x167}, {0x169,0x169},
	{0x16b,0x16b}, {0x16d,0x16d}, {0x16f,0x16f}, {0x171,0x171},
	{0x173,0x173}, {0x175,0x175}, {0x177,0x177}, {0x17a,0x17a},
	{0x17c,0x17c}, {0x17e,0x180}, {0x183,0x183}, {0x185,0x185},
	{0x188,0x188}, {0x18c,0x18d}, {0x192,0x192}, {0x195,0x195},
	{0x199,0x19b}, {0x19e,0x19e}, {0x1a1,0x1a1}, {0x1a3,0x1a3},
	{0x1a5,0x1a5}, {0x1a8,0x1a8}, {0x1aa,0x1ab}, {0x1ad,0x1ad},
	{0x1b0,0x1b0}, {0x1b4,0x1b4}, {0x1b6,0x1b6}, {0x1b9,0x1ba},
	{0x1bd,0x1bf}, {0x1c6,0x1c6}, {0x1c9,0x1c9}, {0x1cc,0x1cc},
	{0x1ce,0x1ce}, {0x1d0,0x1d0}, {0x1d2,0x1d2}, {0x1d4,0x1d4},
	{0x1d6,0x1d6}, {0x1d8,0x1d8}, {0x1da,0x1da}, {0x1dc,0x1dd},
	{0x1df,0x1df}, {0x1e1,0x1e1}, {0x1e3,0x1e3}, {0x1e5,0x1e5},
	{0x1e7,0x1e7}, {0x1e9,0x1e9}, {0x1eb,0x1eb}, {0x1ed,0x1ed},
	{0x1ef,0x1f0}, {0x1f3,0x1f3}, {0x1f5,0x1f5}, {0x1f9,0x1f9},
	{0x1fb,0x1fb}, {0x1fd,0x1fd}, {0x1ff,0x1ff}, {0x201,0x201},
	{0x203,0x203}, {0x205,0x205}, {0x207,0x207}, {0x209,0x209},
	{0x20b,0x20b}, {0x20d,0x20d}, {0x20f,0x20f}, {0x211,0x211},
	{0x213,0x213}, {0x215,0x215}, {0x217,0x217}, {0x219,0x219},
	{0x21b,0x21b}, {0x21d,0x21d}, {0x21f,0x21f}, {0x221,0x221},
	{0x223,0x223}, {0x225,0x225}, {0x227,0x227}, {0x229,0x229},
	{0x22b,0x22b}, {0x22d,0x22d}, {0x22f,0x22f}, {0x231,0x231},
	{0x233,0x239}, {0x23c,0x23c}, {0x23f,0x240}, {0x242,0x242},
	{0x247,0x247}, {0x249,0x249}, {0x24b,0x24b}, {0x24d,0x24d},
	{0x24f,0x293}, {0x295,0x2af}, {0x371,0x371}, {0x373,0x373},
	{0x377,0x377}, {0x37b,0x37d}, {0x390,0x390}, {0x3ac,0x3ce},
	{0x3d0,0x3d1}, {0x3d5,0x3d7}, {0x3d9,0x3d9}, {0x3db,0x3db},
	{0x3dd,0x3dd}, {0x3df,0x3df}, {0x3e1,0x3e1}, {0x3e3,0x3e3},
	{0x3e5,0x3e5}, {0x3e7,0x3e7}, {0x3e9,0x3e9}, {0x3eb,0x3eb},
	{0x3ed,0x3ed}, {0x3ef,0x3f3}, {0x3f5,0x3f5}, {0x3f8,0x3f8},
	{0x3fb,0x3fc}, {0x430,0x45f}, {0x461,0x461}, {0x463,0x463},
	{0x465,0x465}, {0x467,0x467}, {0x469,0x469}, {0x46b,0x46b},
	{0x46d,0x46d}, {0x46f,0x46f}, {0x471,0x471}, {0x473,0x473},
	{0x475,0x475}, {0x477,0x477}, {0x479,0x479}, {0x47b,0x47b},
	{0x47d,0x47d}, {0x47f,0x47f}, {0x481,0x481}, {0x48b,0x48b},
	{0x48d,0x48d}, {0x48f,0x48f}, {0x491,0x491}, {0x493,0x493},
	{0x495,0x495}, {0x497,0x497}, {0x499,0x499}, {0x49b,0x49b},
	{0x49d,0x49d}, {0x49f,0x49f}, {0x4a1,0x4a1}, {0x4a3,0x4a3},
	{0x4a5,0x4a5}, {0x4a7,0x4a7}, {0x4a9,0x4a9}, {0x4ab,0x4ab},
	{0x4ad,0x4ad}, {0x4af,0x4af}, {0x4b1,0x4b1}, {0x4b3,0x4b3},
	{0x4b5,0x4b5}, {0x4b7,0x4b7}, {0x4b9,0x4b9}, {0x4bb,0x4bb},
	{0x4bd,0x4bd}, {0x4bf,0x4bf}, {0x4c2,0x4c2}, {0x4c4,0x4c4},
	{0x4c6,0x4c6}, {0x4c8,0x4c8}, {0x4ca,0x4ca}, {0x4cc,0x4cc},
	{0x4ce,0x4cf}, {0x4d1,0x4d1}, {0x4d3,0x4d3}, {0x4d5,0x4d5},
	{0x4d7,0x4d7}, {0x4d9,0x4d9}, {0x4db,0x4db}, {0x4dd,0x4dd},
	{0x4df,0x4df}, {0x4e1,0x4e1}, {0x4e3,0x4e3}, {0x4e5,0x4e5},
	{0x4e7,0x4e7}, {0x4e9,0x4e9}, {0x4eb,0x4eb}, {0x4ed,0x4ed},
	{0x4ef,0x4ef}, {0x4f1,0x4f1}, {0x4f3,0x4f3}, {0x4f5,0x4f5},
	{0x4f7,0x4f7}, {0x4f9,0x4f9}, {0x4fb,0x4fb}, {0x4fd,0x4fd},
	{0x4ff,0x4ff}, {0x501,0x501}, {0x503,0x503}, {0x505,0x505},
	{0x507,0x507}, {0x509,0x509}, {0x50b,0x50b}, {0x50d,0x50d},
	{0x50f,0x50f}, {0x511,0x511}, {0x513,0x513}, {0x515,0x515},
	{0x517,0x517}, {0x519,0x519}, {0x51b,0x51b}, {0x51d,0x51d},
	{0x51f,0x51f}, {0x521,0x521}, {0x523,0x523}, {0x525,0x525},
	{0x527,0x527}, {0x529,0x529}, {0x52b,0x52b}, {0x52d,0x52d},
	{0x52f,0x52f}, {0x560,0x588}, {0x10d0,0x10fa}, {0x10fd,0x10ff},
	{0x13f8,0x13fd}, {0x1c80,0x1c88}, {0x1d00,0x1d2b}, {0x1d6b,0x1d77},
	{0x1d79,0x1d9a}, {0x1e01,0x1e01}, {0x1e03,0x1e03}, {0x1e05,0x1e05},
	{0x1e07,0x1e07}, {0x1e09,0x1e09}, {0x1e0b,0x1e0b}, {0x1e0d,0x1e0d},
	{0x1e0f,0x1e0f}, {0x1e11,0x1e11}, {0x1e13,0x1e13}, {0x1e15,0x1e15},
	{0x1e17,0x1e17}, {0x1e19,0x1e19}, {0x1e1b,0x1e1b}, {0x1e1d,0x1e1d},
	{0x1e1f,0x1e1f}, {0x1e21,0x1e21}, {0x1e23,0x1e23}, {0x1e25,0x1e25},
	{0x1e27,0x1e27}, {0x1e29,0x1e29}, {0x1e2b,0x1e2b}, {0x1e2d,0x1e2d},
	{0x1e2f,0x1e2f}, {0x1e31,0x1e31}, {0x1e33,0x1e33}, {0x1e35,0x1e35},
	{0x1e37,0x1e37}, {0x1e39,0x1e39}, {0x1e3b,0x1e3b}, {0x1e3d,0x1e3d},
	{0x1e3f,0x1e3f}, {0x1e41,0x1e41}, {0x1e43,0x1e43}, {0x1e45,0x1e45},
	{0x1e47,0x1e47}, {0x1e49,0x1e49}, {0x1e4b,0x1e4b}, {0x1e4d,0x1e4d},
	{0x1e4f,0x1e4f}, {0x1e51,0x1e51}, {0x1e53,0x1e53}, {0x1e55,0x1e55},
	{0x1e57,0x1e57}, {0x1e59,0x1e59}, {0x1e5b,0x1e5b}, {0x1e5d,0x1e5d},
	{0x1e5f,0x1e5f}, {0x1e61,0x1e61}, {0x1e63,0x1e63}, {0x1e65,0x1e65},
	{0x1e67,0x1e67}, {0x1e69,0x1e69}, {0x1e6b,0x1e6b}, {0x1e6d,0x1e6d},
	{0x1e6f,0x1e6f}, {0x1e71,0x1e71}, {0x1e73,0x1e73}, {0x1e75,0x1e75},
	{0x1e77,0x1e77}, {0x1e79,0x1e79}, {0x1e7b,0x1e7b}, {0x1e7d,0x1e7d},
	{0x1e7f,0x1e7f}, {0x1e81,0x1e81}, {0x1e83,0x1e83}, {0x1e85,0x1e85},
	{0x1e87,0x1e87}, {0x1e89,0x1e89}, {0x1e8b,0x1e8b}, {0x1e8d,0x1e8d},
	{0x1e8f,0x1e8f}, {0x1e91,0x1e91}, {0x1e93,0x1e93}, {0x1e95,0x1e9d},
	{0x1e9f,0x1e9f}, {0x1ea1,0x1ea1}, {0x1ea3,0x1ea3}, {0x1ea5,0x1ea5},
	{0x1ea7,0x1ea7}, {0x1ea9,0x1ea9}, {0x1eab,0x1eab}, {0x1ead,0x1ead},
	{0x1eaf,0x1eaf}, {0x1eb1,0x1eb1}, {0x1eb3,0x1eb3}, {0x1eb5,0x1eb5},
	{0x1eb7,0x1eb7}, {0x1eb9,0x1eb9}, {0x1ebb,0x1ebb}, {0x1ebd,0x1ebd},
	{0x1ebf,0x1ebf}, {0x1ec1,0x1ec1}, {0x1ec3,0x1ec3}, {0x1ec5,0x1ec5},
	{0x1ec7,0x1ec7}, {0x1ec9,0x1ec9}, {0x1ecb,0x1ecb}, {0x1ecd,0x1ecd},
	{0x1ecf,0x1ecf}, {0x1ed1,0x1ed1}, {0x1ed3,0x1ed3}, {0x1ed5,0x1ed5},
	{0x1ed7,0x1ed7}, {0x1ed9,0x1ed9}, {0x1edb,0x1edb}, {0x1edd,0x1edd},
	{0x1edf,0x1edf}, {0x1ee1,0x1ee1}, {0x1ee3,0x1ee3}, {0x1ee5,0x1ee5},
	{0x1ee7,0x1ee7}, {0x1ee9,0x1ee9}, {0x1eeb,0x1eeb}, {0x1eed,0x1eed},
	{0x1eef,0x1eef}, {0x1ef1,0x1ef1}, {0x1ef3,0x1ef3}, {0x1ef5,0x1ef5},
	{0x1ef7,0x1ef7}, {0x1ef9,0x1ef9}, {0x1efb,0x1efb}, {0x1efd,0x1efd},
	{0x1eff,0x1f07}, {0x1f10,0x1f15}, {0x1f20,0x1f27}, {0x1f30,0x1f37},
	{0x1f40,0x1f45}, {0x1f50,0x1f57}, {0x1f60,0x1f67}, {0x1f70,0x1f7d},
	{0x1f80,0x1f87}, {0x1f90,0x1f97}, {0x1fa0,0x1fa7}, {0x1fb0,0x1fb4},
	{0x1fb6,0x1fb7}, {0x1fbe,0x1fbe}, {0x1fc2,0x1fc4}, {0x1fc6,0x1fc7},
	{0x1fd0,0x1fd3}, {0x1fd6,0x1fd7}, {0x1fe0,0x1fe7}, {0x1ff2,0x1ff4},
	{0x1ff6,0x1ff7}, {0x210a,0x210a}, {0x210e,0x210f}, {0x2113,0x2113},
	{0x212f,0x212f}, {0x2134,0x2134}, {0x2139,0x2139}, {0x213c,0x213d},
	{0x2146,0x2149}, {0x214e,0x214e}, {0x2184,0x2184}, {0x2c30,0x2c5e},
	{0x2c61,0x2c61}, {0x2c65,0x2c66}, {0x2c68,0x2c68}, {0x2c6a,0x2c6a},
	{0x2c6c,0x2c6c}, {0x2c71,0x2c71}, {0x2c73,0x2c74}, {0x2c76,0x2c7b},
	{0x2c81,0x2c81}, {0x2c83,0x2c83}, {0x2c85,0x2c85}, {0x2c87,0x2c87},
	{0x2c89,0x2c89}, {0x2c8b,0x2c8b}, {0x2c8d,0x2c8d}, {0x2c8f,0x2c8f},
	{0x2c91,0x2c91}, {0x2c93,0x2c93}, {0x2c95,0x2c95}, {0x2c97,0x2c97},
	{0x2c99,0x2c99}, {0x2c9b,0x2c9b}, {0x2c9d,0x2c9d}, {0x2c9f,0x2c9f},
	{0x2ca1,0x2ca1}, {0x2ca3,0x2ca3}, {0x2ca5,0x2ca5}, {0x2ca7,0x2ca7},
	{0x2ca9,0x2ca9}, {0x2cab,0x2cab}, {0x2cad,0x2cad}, {0x2caf,0x2caf},
	{0x2cb1,0x2cb1}, {0x2cb3,0x2cb3}, {0x2cb5,0x2cb5}, {0x2cb7,0x2cb7},
	{0x2cb9,0x2cb9}, {0x2cbb,0x2cbb}, {0x2cbd,0x2cbd}, {0x2cbf,0x2cbf},
	{0x2cc1,0x2cc1}, {0x2cc3,0x2cc3}, {0x2cc5,0x2cc5}, {0x2cc7,0x2cc7},
	{0x2cc9,0x2cc9}, {0x2ccb,0x2ccb}, {0x2ccd,0x2ccd}, {0x2ccf,0x2ccf},
	{0x2cd1,0x2cd1}, {0x2cd3,0x2cd3}, {0x2cd5,0x2cd5}, {0x2cd7,0x2cd7},
	{0x2cd9,0x2cd9}, {0x2cdb,0x2cdb}, {0x2cdd,0x2cdd}, {0x2cdf,0x2cdf},
	{0x2ce1,0x2ce1}, {0x2ce3,0x2ce4}, {0x2cec,0x2cec}, {0x2cee,0x2cee},
	{0x2cf3,0x2cf3}, {0x2d00,0x2d25}, {0x2d27,0x2d27}, {0x2d2d,0x2d2d},
	{0xa641,0xa641}, {0xa643,0xa643}, {0xa645,0xa645}, {0xa647,0xa647},
	{0xa649,0xa649}, {0xa64b,0xa64b}, {0xa64d,0xa64d}, {0xa64f,0xa64f},
	{0xa651,0xa651}, {0xa653,0xa653}, {0xa655,0xa655}, {0xa657,0xa657},
	{0xa659,0xa659}, {0xa65b,0xa65b}, {0xa65d,0xa65d}, {0xa65f,0xa65f},
	{0xa661,0xa661}, {0xa663,0xa663}, {0xa665,0xa665}, {0xa667,0xa667},
	{0xa669,0xa669}, {0xa66b,0xa66b}, {0xa66d,0xa66d}, {0xa681,0xa681},
	{0xa683,0xa683}, {0xa685,0xa685}, {0xa687,0xa687}, {0xa689,0xa689},
	{0xa68b,0xa68b}, {0xa68d,0xa68d}, {0xa68f,0xa68f}, {0xa691,0xa691},
	{0xa693,0xa693}, {0xa695,0xa695}, {0xa697,0xa697}, {0xa699,0xa699},
	{0xa69b,0xa69b}, {0xa723,0xa723}, {0xa725,0xa725}, {0xa727,0xa727},
	{0xa729,0xa729}, {0xa72b,0xa72b}, {0xa72d,0xa72d}, {0xa72f,0xa731},
	{0xa733,0xa733}, {0xa735,0xa735}, {0xa737,0xa737}, {0xa739,0xa739},
	{0xa73b,0xa73b}, {0xa73d,0xa73d}, {0xa73f,0xa73f}, {0xa741,0xa741},
	{0xa743,0xa743}, {0xa745,0xa745}, {0xa747,0xa747}, {0xa749,0xa749},
	{0xa74b,0xa74b}, {0xa74d,0xa74d}, {0xa74f,0xa74f}, {0xa751,0xa751},
	{0xa753,0xa753}, {0xa755,0xa755}, {0xa757,0xa757}, {0xa759,0xa759},
	{0xa75b,0xa75b}, {0xa75d,0xa75d}, {0xa75f,0xa75f}, {0xa761,0xa761},
	{0xa763,0xa763}, {0xa765,0xa765}, {0xa767,0xa767}, {0xa769,0xa769},
	{0xa76b,0xa76b}, {0xa76d,0xa76d}, {0xa76f,0xa76f}, {0xa771,0xa778},
	{0xa77a,0xa77a}, {0xa77c,0xa77c}, {0xa77f,0xa77f}, {0xa781,0xa781},
	{0xa783,0xa783}, {0xa785,0xa785}, {0xa787,0xa787}, {0xa78c,0xa78c},
	{0xa78e,0xa78e}, {0xa791,0xa791}, {0xa793,0xa795}, {0xa797,0xa797},
	{0xa799,0xa799}, {0xa79b,0xa79b}, {0xa79d,0xa79d}, {0xa79f,0xa79f},
	{0xa7a1,0xa7a1}, {0xa7a3,0xa7a3}, {0xa7a5,0xa7a5}, {0xa7a7,0xa7a7},
	{0xa7a9,0xa7a9}, {0xa7af,0xa7af}, {0xa7b5,0xa7b5}, {0xa7b7,0xa7b7},
	{0xa7b9,0xa7b9}, {0xa7bb,0xa7bb}, {0xa7bd,0xa7bd}, {0xa7bf,0xa7bf},
	{0xa7c3,0xa7c3}, {0xa7c8,0xa7c8}, {0xa7ca,0xa7ca}, {0xa7f6,0xa7f6},
	{0xa7fa,0xa7fa}, {0xab30,0xab5a}, {0xab60,0xab68}, {0xab70,0xabbf},
	{0xfb00,0xfb06}, {0xfb13,0xfb17}, {0xff41,0xff5a}, {0x10428,0x1044f},
	{0x104d8,0x104fb}, {0x10cc0,0x10cf2}, {0x118c0,0x118df}, {0x16e60,0x16e7f},
	{0x1d41a,0x1d433}, {0x1d44e,0x1d454}, {0x1d456,0x1d467}, {0x1d482,0x1d49b},
	{0x1d4b6,0x1d4b9}, {0x1d4bb,0x1d4bb}, {0x1d4bd,0x1d4c3}, {0x1d4c5,0x1d4cf},
	{0x1d4ea,0x1d503}, {0x1d51e,0x1d537}, {0x1d552,0x1d56b}, {0x1d586,0x1d59f},
	{0x1d5ba,0x1d5d3}, {0x1d5ee,0x1d607}, {0x1d622,0x1d63b}, {0x1d656,0x1d66f},
	{0x1d68a,0x1d6a5}, {0x1d6c2,0x1d6da}, {0x1d6dc,0x1d6e1}, {0x1d6fc,0x1d714},
	{0x1d716,0x1d71b}, {0x1d736,0x1d74e}, {0x1d750,0x1d755}, {0x1d770,0x1d788},
	{0x1d78a,0x1d78f}, {0x1d7aa,0x1d7c2}, {0x1d7c4,0x1d7c9}, {0x1d7cb,0x1d7cb},
	{0x1e922,0x1e943},
};
static const struct urange u_title[] = {
	{0x1c5,0x1c5}, {0x1c8,0x1c8}, {0x1cb,0x1cb}, {0x1f2,0x1f2},
	{0x1f88,0x1f8f}, {0x1f98,0x1f9f}, {0x1fa8,0x1faf}, {0x1fbc,0x1fbc},
	{0x1fcc,0x1fcc}, {0x1ffc,0x1ffc},
};
static const struct urange u_letter[] = {
	{0x41,0x5a}, {0x61,0x7a}, {0xaa,0xaa}, {0xb5,0xb5},
	{0xba,0xba}, {0xc0,0xd6}, {0xd8,0xf6}, {0xf8,0x2c1},
	{0x2c6,0x2d1}, {0x2e0,0x2e4}, {0x2ec,0x2ec}, {0x2ee,0x2ee},
	{0x370,0x374}, {0x376,0x377}, {0x37a,0x37d}, {0x37f,0x37f},
	{0x386,0x386}, {0x388,0x38a}, {0x38c,0x38c}, {0x38e,0x3a1},
	{0x3a3,0x3f5}, {0x3f7,0x481}, {0x48a,0x52f}, {0x531,0x556},
	{0x559,0x559}, {0x560,0x588}, {0x5d0,0x5ea}, {0x5ef,0x5f2},
	{0x620,0x64a}, {0x66e,0x66f}, {0x671,0x6d3}, {0x6d5,0x6d5},
	{0x6e5,0x6e6}, {0x6ee,0x6ef}, {0x6fa,0x6fc}, {0x6ff,0x6ff},
	{0x710,0x710}, {0x712,0x72f}, {0x74d,0x7a5}, {0x7b1,0x7b1},
	{0x7ca,0x7ea}, {0x7f4,0x7f5}, {0x7fa,0x7fa}, {0x800,0x815},
	{0x81a,0x81a}, {0x824,0x824}, {0x828,0x828}, {0x840,0x858},
	{0x860,0x86a}, {0x8a0,0x8b4}, {0x8b6,0x8c7}, {0x904,0x939},
	{0x93d,0x93d}, {0x950,0x950}, {0x958,0x961}, {0x971,0x980},
	{0x985,0x98c}, {0x98f,0x990}, {0x993,0x9a8}, {0x9aa,0x9b0},
	{0x9b2,0x9b2}, {0x9b6,0x9b9}, {0x9bd,0x9bd}, {0x9ce,0x9ce},
	{0x9dc,0x9dd}, {0x9df,0x9e1}, {0x9f0,0x9f1}, {0x9fc,0x9fc},
	{0xa05,0xa0a}, {0xa0f,0xa10}, {0xa13,0xa28}, {0xa2a,0xa30},
	{0xa32,0xa33}, {0xa35,0xa36}, {0xa38,0xa39}, {0xa59,0xa5c},
	{0xa5e,0xa5e}, {0xa72,0xa74}, {0xa85,0xa8d}, {0xa8f,0xa91},
	{0xa93,0xaa8}, {0xaaa,0xab0}, {0xab2,0xab3}, {0xab5,0xab9},
	{0xabd,0xabd}, {0xad0,0xad0}, {0xae0,0xae1}, {0xaf9,0xaf9},
	{0xb05,0xb0c}, {0xb0f,0xb10}, {0xb13,0xb28}, {0xb2a,0xb30},
	{0xb32,0xb33}, {0xb35,0xb39}, {0xb3d,0xb3d}, {0xb5c,0xb5d},
	{0xb5f,0xb61}, {0xb71,0xb71}, {0xb83,0xb83}, {0xb85,0xb8a},
	{0xb8e,0xb90}, {0xb92,0xb95}, {0xb99,0xb9a}, {0xb9c,0xb9c},
	{0xb9e,0xb9f}, {0xba3,0xba4}, {0xba8,0xbaa}, {0xbae,0xbb9},
	{0xbd0,0xbd0}, {0xc05,0xc0c}, {0xc0e,0xc10}, {0xc12,0xc28},
	{0xc2a,0xc39}, {0xc3d,0xc3d}, {0xc58,0xc5a}, {0xc60,0xc61},
	{0xc80,0xc80}, {0xc85,0xc8c}, {0xc8e,0xc90}, {0xc92,0xca8},
	{0xcaa,0xcb3}, {0xcb5,0xcb9}, {0xcbd,0xcbd}, {0xcde,0xcde},
	{0xce0,0xce1}, {0xcf1,0xcf2}, {0xd04,0xd0c}, {0xd0e,0xd10},
	{0xd12,0xd3a}, {0xd3d,0xd3d}, {0xd4e,0xd4e}, {0xd54,0xd56},
	{0xd5f,0xd61}, {0xd7a,0xd7f}, {0xd85,0xd96}, {0xd9a,0xdb1},
	{0xdb3,0xdbb}, {0xdbd,0xdbd}, {0xdc0,0xdc6}, {0xe01,0xe30},
	{0xe32,0xe33}, {0xe40,0xe46}, {0xe81,0xe82}, {0xe84,0xe84},
	{0xe86,0xe8a}, {0xe8c,0xea3}, {0xea5,0xea5}, {0xea7,0xeb0},
	{0xeb2,0xeb3}, {0xebd,0xebd}, {0xec0,0xec4}, {0xec6,0xec6},
	{0xedc,0xedf}, {0xf00,0xf00}, {0xf40,0xf47}, {0xf49,0xf6c},
	{0xf88,0xf8c}, {0x1000,0x102a}, {0x103f,0x103f}, {0x1050,0x1055},
	{0x105a,0x105d}, {0x1061,0x1061}, {0x1065,0x1066}, {0x106e,0x1070},
	{0x1075,0x1081}, {0x108e,0x108e}, {0x10a0,0x10c5}, {0x10c7,0x10c7},
	{0x10cd,0x10cd}, {0x10d0,0x10fa}, {0x10fc,0x1248}, {0x124a,0x124d},
	{0x1250,0x1256}, {0x1258,0x1258}, {0x125a,0x125d}, {0x1260,0x1288},
	{0x128a,0x128d}, {0x1290,0x12b0}, {0x12b2,0x12b5}, {0x12b8,0x12be},
	{0x12c0,0x12c0}, {0x12c2,0x12c5}, {0x12c8,0x12d6}, {0x12d8,0x1310},
	{0x1312,0x1315}, {0x1318,0x135a}, {0x1380,0x138f}, {0x13a0,0x13f5},
	{0x13f8,0x13fd}, {0x1401,0x166c}, {0x166f,0x167f}, {0x1681,0x169a},
	{0x16a0,0x16ea}, {0x16f1,0x16f8}, {0x1700,0x170c}, {0x170e,0x1711},
	{0x1720,0x1731}, {0x1740,0x1751}, {0x1760,0x176c}, {0x176e,0x1770},
	{0x1780,0x17b3}, {0x17d7,0x17d7}, {0x17dc,0x17dc}, {0x1820,0x1878},
	{0x1880,0x1884}, {0x1887,0x18a8}, {0x18aa,0x18aa}, {0x18b0,0x18f5},
	{0x1900,0x191e}, {0x1950,0x196d}, {0x1970,0x1974}, {0x1980,0x19ab},
	{0x19b0,0x19c9}, {0x1a00,0x1a16}, {0x1a20,0x1a54}, {0x1aa7,0x1aa7},
	{0x1b05,0x1b33}, {0x1b45,0x1b4b}, {0x1b83,0x1ba0}, {0x1bae,0x1baf},
	{0x1bba,0x1be5}, {0x1c00,0x1c23}, {0x1c4d,0x1c4f}, {0x1c5a,0x1c7d},
	{0x1c80,0x1c88}, {0x1c90,0x1cba}, {0x1cbd,0x1cbf}, {0x1ce9,0x1cec},
	{0x1cee,0x1cf3}, {0x1cf5,0x1cf6}, {0x1cfa,0x1cfa}, {0x1d00,0x1dbf},
	{0x1e00,0x1f15}, {0x1f18,0x1f1d}, {0x1f20,0x1f45}, {0x1f48,0x1f4d},
	{0x1f50,0x1f57}, {0x1f59,0x1f59}, {0x1f5b,0x1f5b}, {0x1f5d,0x1f5d},
	{0x1f5f,0x1f7d}, {0x1f80,0x1fb4}, {0x1fb6,0x1fbc}, {0x1fbe,0x1fbe},
	{0x1fc2,0x1fc4}, {0x1fc6,0x1fcc}, {0x1fd0,0x1fd3}, {0x1fd6,0x1fdb},
	{0x1fe0,0x1fec}, {0x1ff2,0x1ff4}, {0x1ff6,0x1ffc}, {0x2071,0x2071},
	{0x207f,0x207f}, {0x2090,0x209c}, {0x2102,0x2102}, {0x2107,0x2107},
	{0x210a,0x2113}, {0x2115,0x2115}, {0x2119,0x211d}, {0x2124,0x2124},
	{0x2126,0x2126}, {0x2128,0x2128}, {0x212a,0x212d}, {0x212f,0x2139},
	{0x213c,0x213f}, {0x2145,0x2149}, {0x214e,0x214e}, {0x2183,0x2184},
	{0x2c00,0x2c2e}, {0x2c30,0x2c5e}, {0x2c60,0x2ce4}, {0x2ceb,0x2cee},
	{0x2cf2,0x2cf3}, {0x2d00,0x2d25}, {0x2d27,0x2d27}, {0x2d2d,0x2d2d},
	{0x2d30,0x2d67}, {0x2d6f,0x2d6f}, {0x2d80,0x2d96}, {0x2da0,0x2da6},
	{0x2da8,0x2dae}, {0x2db0,0x2db6}, {0x2db8,0x2dbe}, {0x2dc0,0x2dc6},
	{0x2dc8,0x2dce}, {0x2dd0,0x2dd6}, {0x2dd8,0x2dde}, {0x2e2f,0x2e2f},
	{0x3005,0x3006}, {0x3031,0x3035}, {0x303b,0x303c}, {0x3041,0x3096},
	{0x309d,0x309f}, {0x30a1,0x30fa}, {0x30fc,0x30ff}, {0x3105,0x312f},
	{0x3131,0x318e}, {0x31a0,0x31bf}, {0x31f0,0x31ff}, {0x3400,0x4dbf},
	{0x4e00,0x9ffc}, {0xa000,0xa48c}, {0xa4d0,0xa4fd}, {0xa500,0xa60c},
	{0xa610,0xa61f}, {0xa62a,0xa62b}, {0xa640,0xa66e}, {0xa67f,0xa69d},
	{0xa6a0,0xa6e5}, {0xa717,0xa71f}, {0xa722,0xa788}, {0xa78b,0xa7bf},
	{0xa7c2,0xa7ca}, {0xa7f5,0xa801}, {0xa803,0xa805}, {0xa807,0xa80a},
	{0xa80c,0xa822}, {0xa840,0xa873}, {0xa882,0xa8b3}, {0xa8f2,0xa8f7},
	{0xa8fb,0xa8fb}, {0xa8fd,0xa8fe}, {0xa90a,0xa925}, {0xa930,0xa946},
	{0xa960,0xa97c}, {0xa984,0xa9b2}, {0xa9cf,0xa9cf}, {0xa9e0,0xa9e4},
	{0xa9e6,0xa9ef}, {0xa9fa,0xa9fe}, {0xaa00,0xaa28}, {0xaa40,0xaa42},
	{0xaa44,0xaa4b}, {0xaa60,0xaa76}, {0xaa7a,0xaa7a}, {0xaa7e,0xaaaf},
	{0xaab1,0xaab1}, {0xaab5,0xaab6}, {0xaab9,0xaabd}, {0xaac0,0xaac0},
	{0xaac2,0xaac2}, {0xaadb,0xaadd}, {0xaae0,0xaaea}, {0xaaf2,0xaaf4},
	{0xab01,0xab06}, {0xab09,0xab0e}, {0xab11,0xab16}, {0xab20,0xab26},
	{0xab28,0xab2e}, {0xab30,0xab5a}, {0xab5c,0xab69}, {0xab70,0xabe2},
	{0xac00,0xd7a3}, {0xd7b0,0xd7c6}, {0xd7cb,0xd7fb}, {0xf900,0xfa6d},
	{0xfa70,0xfad9}, {0xfb00,0xfb06}, {0xfb13,0xfb17}, {0xfb1d,0xfb1d},
	{0xfb1f,0xfb28}, {0xfb2a,0xfb36}, {0xfb38,0xfb3c}, {0xfb3e,0xfb3e},
	{0xfb40,0xfb41}, {0xfb43,0xfb44}, {0xfb46,0xfbb1}, {0xfbd3,0xfd3d},
	{0xfd50,0xfd8f}, {0xfd92,0xfdc7}, {0xfdf0,0xfdfb}, {0xfe70,0xfe74},
	{0xfe76,0xfefc}, {0xff21,0xff3a}, {0xff41,0xff5a}, {0xff66,0xffbe},
	{0xffc2,0xffc7}, {0xffca,0xffcf}, {0xffd2,0xffd7}, {0xffda,0xffdc},
	{0x10000,0x1000b}, {0x1000d,0x10026}, {0x10028,0x1003a}, {0x1003c,0x1003d},
	{0x1003f,0x1004d}, {0x10050,0x1005d}, {0x10080,0x100fa}, {0x10280,0x1029c},
	{0x102a0,0x102d0}, {0x10300,0x1031f}, {0x1032d,0x10340}, {0x10342,0x10349},
	{0x10350,0x10375}, {0x10380,0x1039d}, {0x103a0,0x103c3}, {0x103c8,0x103cf},
	{0x10400,0x1049d}, {0x104b0,0x104d3}, {0x104d8,0x104fb}, {0x10500,0x10527},
	{0x10530,0x10563}, {0x10600,0x10736}, {0x10740,0x10755}, {0x10760,0x10767},
	{0x10800,0x10805}, {0x10808,0x10808}, {0x1080a,0x10835}, {0x10837,0x10838},
	{0x1083c,0x1083c}, {0x1083f,0x10855}, {0x10860,0x10876}, {0x10880,0x1089e},
	{0x108e0,0x108f2}, {0x108f4,0x108f5}, {0x10900,0x10915}, {0x10920,0x10939},
	{0x10980,0x109b7}, {0x109be,0x109bf}, {0x10a00,0x10a00}, {0x10a10,0x10a13},
	{0x10a15,0x10a17}, {0x10a19,0x10a35}, {0x10a60,0x10a7c}, {0x10a80,0x10a9c},
	{0x10ac0,0x10ac7}, {0x10ac9,0x10ae4}, {0x10b00,0x10b35}, {0x10b40,0x10b55},
	{0x10b60,0x10b72}, {0x10b80,0x10b91}, {0x10c00,0x10c48}, {0x10c80,0x10cb2},
	{0x10cc0,0x10cf2}, {0x10d00,0x10d23}, {0x10e80,0x10ea9}, {0x10eb0,0x10eb1},
	{0x10f00,0x10f1c}, {0x10f27,0x10f27}, {0x10f30,0x10f45}, {0x10fb0,0x10fc4},
	{0x10fe0,0x10ff6}, {0x11003,0x11037}, {0x11083,0x110af}, {0x110d0,0x110e8},
	{0x11103,0x11126}, {0x11144,0x11144}, {0x11147,0x11147}, {0x11150,0x11172},
	{0x11176,0x11176}, {0x11183,0x111b2}, {0x111c1,0x111c4}, {0x111da,0x111da},
	{0x111dc,0x111dc}, {0x11200,0x11211}, {0x11213,0x1122b}, {0x11280,0x11286},
	{0x11288,0x11288}, {0x1128a,0x1128d}, {0x1128f,0x1129d}, {0x1129f,0x112a8},
	{0x112b0,0x112de}, {0x11305,0x1130c}, {0x1130f,0x11310}, {0x11313,0x11328},
	{0x1132a,0x11330}, {0x11332,0x11333}, {0x11335,0x11339}, {0x1133d,0x1133d},
	{0x11350,0x11350}, {0x1135d,0x11361}, {0x11400,0x11434}, {0x11447,0x1144a},
	{0x1145f,0x11461}, {0x11480,0x114af}, {0x114c4,0x114c5}, {0x114c7,0x114c7},
	{0x11580,0x115ae}, {0x115d8,0x115db}, {0x11600,0x1162f}, {0x11644,0x11644},
	{0x11680,0x116aa}, {0x116b8,0x116b8}, {0x11700,0x1171a}, {0x11800,0x1182b},
	{0x118a0,0x118df}, {0x118ff,0x11906}, {0x11909,0x11909}, {0x1190c,0x11913},
	{0x11915,0x11916}, {0x11918,0x1192f}, {0x1193f,0x1193f}, {0x11941,0x11941},
	{0x119a0,0x119a7}, {0x119aa,0x119d0}, {0x119e1,0x119e1}, {0x119e3,0x119e3},
	{0x11a00,0x11a00}, {0x11a0b,0x11a32}, {0x11a3a,0x11a3a}, {0x11a50,0x11a50},
	{0x11a5c,0x11a89}, {0x11a9d,0x11a9d}, {0x11ac0,0x11af8}, {0x11c00,0x11c08},
	{0x11c0a,0x11c2e}, {0x11c40,0x11c40}, {0x11c72,0x11c8f}, {0x11d00,0x11d06},
	{0x11d08,0x11d09}, {0x11d0b,0x11d30}, {0x11d46,0x11d46}, {0x11d60,0x11d65},
	{0x11d67,0x11d68}, {0x11d6a,0x11d89}, {0x11d98,0x11d98}, {0x11ee0,0x11ef2},
	{0x11fb0,0x11fb0}, {0x12000,0x12399}, {0x12480,0x12543}, {0x13000,0x1342e},
	{0x14400,0x14646}, {0x16800,0x16a38}, {0x16a40,0x16a5e}, {0x16ad0,0x16aed},
	{0x16b00,0x16b2f}, {0x16b40,0x16b43}, {0x16b63,0x16b77}, {0x16b7d,0x16b8f},
	{0x16e40,0x16e7f}, {0x16f00,0x16f4a}, {0x16f50,0x16f50}, {0x16f93,0x16f9f},
	{0x16fe0,0x16fe1}, {0x16fe3,0x16fe3}, {0x17000,0x187f7}, {0x18800,0x18cd5},
	{0x18d00,0x18d08}, {0x1b000,0x1b11e}, {0x1b150,0x1b152}, {0x1b164,0x1b167},
	{0x1b170,0x1b2fb}, {0x1bc00,0x1bc6a}, {0x1bc70,0x1bc7c}, {0x1bc80,0x1bc88},
	{0x1bc90,0x1bc99}, {0x1d400,0x1d454}, {0x1d456,0x1d49c}, {0x1d49e,0x1d49f},
	{0x1d4a2,0x1d4a2}, {0x1d4a5,0x1d4a6}, {0x1d4a9,0x1d4ac}, {0x1d4ae,0x1d4b9},
	{0x1d4bb,0x1d4bb}, {0x1d4bd,0x1d4c3}, {0x1d4c5,0x1d505}, {0x1d507,0x1d50a},
	{0x1d50d,0x1d514}, {0x1d516,0x1d51c}, {0x1d51e,0x1d539}, {0x1d53b,0x1d53e},
	{0x1d540,0x1d544}, {0x1d546,0x1d546}, {0x1d54a,0x1d550}, {0x1d552,0x1d6a5},
	{0x1d6a8,0x1d6c0}, {0x1d6c2,0x1d6da}, {0x1d6dc,0x1d6fa}, {0x1d6fc,0x1d714},
	{0x1d716,0x1d734}, {0x1d736,0x1d74e}, {0x1d750,0x1d76e}, {0x1d770,0x1d788},
	{0x1d78a,0x1d7a8}, {0x1d7aa,0x1d7c2}, {0x1d7c4,0x1d7cb}, {0x1e100,0x1e12c},
	{0x1e137,0x1e13d}, {0x1e14e,0x1e14e}, {0x1e2c0,0x1e2eb}, {0x1e800,0x1e8c4},
	{0x1e900,0x1e943}, {0x1e94b,0x1e94b}, {0x1ee00,0x1ee03}, {0x1ee05,0x1ee1f},
	{0x1ee21,0x1ee22}, {0x1ee24,0x1ee24}, {0x1ee27,0x1ee27}, {0x1ee29,0x1ee32},
	{0x1ee34,0x1ee37}, {0x1ee39,0x1ee39}, {0x1ee3b,0x1ee3b}, {0x1ee42,0x1ee42},
	{0x1ee47,0x1ee47}, {0x1ee49,0x1ee49}, {0x1ee4b,0x1ee4b}, {0x1ee4d,0x1ee4f},
	{0x1ee51,0x1ee52}, {0x1ee54,0x1ee54}, {0x1ee57,0x1ee57}, {0x1ee59,0x1ee59},
	{0x1ee5b,0x1ee5b}, {0x1ee5d,0x1ee5d}, {0x1ee5f,0x1ee5f}, {0x1ee61,0x1ee62},
	{0x1ee64,0x1ee64}, {0x1ee67,0x1ee6a}, {0x1ee6c,0x1ee72}, {0x1ee74,0x1ee77},
	{0x1ee79,0x1ee7c}, {0x1ee7e,0x1ee7e}, {0x1ee80,0x1ee89}, {0x1ee8b,0x1ee9b},
	{0x1eea1,0x1eea3}, {0x1eea5,0x1eea9}, {0x1eeab,0x1eebb}, {0x20000,0x2a6dd},
	{0x2a700,0x2b734}, {0x2b740,0x2b81d}, {0x2b820,0x2cea1}, {0x2ceb0,0x2ebe0},
	{0x2f800,0x2fa1d}, {0x30000,0x3134a},
};
static const struct urange u_digit[] = {
	{0x30,0x39}, {0x660,0x669}, {0x6f0,0x6f9}, {0x7c0,0x7c9},
	{0x966,0x96f}, {0x9e6,0x9ef}, {0xa66,0xa6f}, {0xae6,0xaef},
	{0xb66,0xb6f}, {0xbe6,0xbef}, {0xc66,0xc6f}, {0xce6,0xcef},
	{0xd66,0xd6f}, {0xde6,0xdef}, {0xe50,0xe59}, {0xed0,0xed9},
	{0xf20,0xf29}, {0x1040,0x1049}, {0x1090,0x1099}, {0x17e0,0x17e9},
	{0x1810,0x1819}, {0x1946,0x194f}, {0x19d0,0x19d9}, {0x1a80,0x1a89},
	{0x1a90,0x1a99}, {0x1b50,0x1b59}, {0x1bb0,0x1bb9}, {0x1c40,0x1c49},
	{0x1c50,0x1c59}, {0xa620,0xa629}, {0xa8d0,0xa8d9}, {0xa900,0xa909},
	{0xa9d0,0xa9d9}, {0xa9f0,0xa9f9}, {0xaa50,0xaa59}, {0xabf0,0xabf9},
	{0xff10,0xff19}, {0x104a0,0x104a9}, {0x10d30,0x10d39}, {0x11066,0x1106f},
	{0x110f0,0x110f9}, {0x11136,0x1113f}, {0x111d0,0x111d9}, {0x112f0,0x112f9},
	{0x11450,0x11459}, {0x114d0,0x114d9}, {0x11650,0x11659}, {0x116c0,0x116c9},
	{0x11730,0x11739}, {0x118e0,0x118e9}, {0x11950,0x11959}, {0x11c50,0x11c59},
	{0x11d50,0x11d59}, {0x11da0,0x11da9}, {0x16a60,0x16a69}, {0x16b50,0x16b59},
	{0x1d7ce,0x1d7ff}, {0x1e140,0x1e149}, {0x1e2f0,0x1e2f9}, {0x1e950,0x1e959},
	{0x1fbf0,0x1fbf9},
};
static const struct urange u_punct[] = {
	{0x21,0x23}, {0x25,0x2a}, {0x2c,0x2f}, {0x3a,0x3b},
	{0x3f,0x40}, {0x5b,0x5d}, {0x5f,0x5f}, {0x7b,0x7b},
	{0x7d,0x7d}, {0xa1,0xa1}, {0xa7,0xa7}, {0xab,0xab},
	{0xb6,0xb7}, {0xbb,0xbb}, {0xbf,0xbf}, {0x37e,0x37e},
	{0x387,0x387}, {0x55a,0x55f}, {0x589,0x58a}, {0x5be,0x5be},
	{0x5c0,0x5c0}, {0x5c3,0x5c3}, {0x5c6,0x5c6}, {0x5f3,0x5f4},
	{0x609,0x60a}, {0x60c,0x60d}, {0x61b,0x61b}, {0x61e,0x61f},
	{0x66a,0x66d}, {0x6d4,0x6d4}, {0x700,0x70d}, {0x7f7,0x7f9},
	{0x830,0x83e}, {0x85e,0x85e}, {0x964,0x965}, {0x970,0x970},
	{0x9fd,0x9fd}, {0xa76,0xa76}, {0xaf0,0xaf0}, {0xc77,0xc77},
	{0xc84,0xc84}, {0xdf4,0xdf4}, {0xe4f,0xe4f}, {0xe5a,0xe5b},
	{0xf04,0xf12}, {0xf14,0xf14}, {0xf3a,0xf3d}, {0xf85,0xf85},
	{0xfd0,0xfd4}, {0xfd9,0xfda}, {0x104a,0x104f}, {0x10fb,0x10fb},
	{0x1360,0x1368}, {0x1400,0x1400}, {0x166e,0x166e}, {0x169b,0x169c},
	{0x16eb,0x16ed}, {0x1735,0x1736}, {0x17d4,0x17d6}, {0x17d8,0x17da},
	{0x1800,0x180a}, {0x1944,0x1945}, {0x1a1e,0x1a1f}, {0x1aa0,0x1aa6},
	{0x1aa8,0x1aad}, {0x1b5a,0x1b60}, {0x1bfc,0x1bff}, {0x1c3b,0x1c3f},
	{0x1c7e,0x1c7f}, {0x1cc0,0x1cc7}, {0x1cd3,0x1cd3}, {0x2010,0x2027},
	{0x2030,0x2043}, {0x2045,0x2051}, {0x2053,0x205e}, {0x207d,0x207e},
	{0x208d,0x208e}, {0x2308,0x230b}, {0x2329,0x232a}, {0x2768,0x2775},
	{0x27c5,0x27c6}, {0x27e6,0x27ef}, {0x2983,0x2998}, {0x29d8,0x29db},
	{0x29fc,0x29fd}, {0x2cf9,0x2cfc}, {0x2cfe,0x2cff}, {0x2d70,0x2d70},
	{0x2e00,0x2e2e}, {0x2e30,0x2e4f}, {0x2e52,0x2e52}, {0x3001,0x3003},
	{0x3008,0x3011}, {0x3014,0x301f}, {0x3030,0x3030}, {0x303d,0x303d},
	{0x30a0,0x30a0}, {0x30fb,0x30fb}, {0xa4fe,0xa4ff}, {0xa60d,0xa60f},
	{0xa673,0xa673}, {0xa67e,0xa67e}, {0xa6f2,0xa6f7}, {0xa874,0xa877},
	{0xa8ce,0xa8cf}, {0xa8f8,0xa8fa}, {0xa8fc,0xa8fc}, {0xa92e,0xa92f},
	{0xa95f,0xa95f}, {0xa9c1,0xa9cd}, {0xa9de,0xa9df}, {0xaa5c,0xaa5f},
	{0xaade,0xaadf}, {0xaaf0,0xaaf1}, {0xabeb,0xabeb}, {0xfd3e,0xfd3f},
	{0xfe10,0xfe19}, {0xfe30,0xfe52}, {0xfe54,0xfe61}, {0xfe63,0xfe63},
	{0xfe68,0xfe68}, {0xfe6a,0xfe6b}, {0xff01,0xff03}, {0xff05,0xff0a},
	{0xff0c,0xff0f}, {0xff1a,0xff1b}, {0xff1f,0xff20}, {0xff3b,0xff3d},
	{0xff3f,0xff3f}, {0xff5b,0xff5b}, {0xff5d,0xff5d}, {0xff5f,0xff65},
	{0x10100,0x10102}, {0x1039f,0x1039f}, {0x103d0,0x103d0}, {0x1056f,0x1056f},
	{0x10857,0x10857}, {0x1091f,0x1091f}, {0x1093f,0x1093f}, {0x10a50,0x10a58},
	{0x10a7f,0x10a7f}, {0x10af0,0x10af6}, {0x10b39,0x10b3f}, {0x10b99,0x10b9c},
	{0x10ead,0x10ead}, {0x10f55,0x10f59}, {0x11047,0x1104d}, {0x110bb,0x110bc},
	{0x110be,0x110c1}, {0x11140,0x11143}, {0x11174,0x11175}, {0x111c5,0x111c8},
	{0x111cd,0x111cd}, {0x111db,0x111db}, {0x111dd,0x111df}, {0x11238,0x1123d},
	{0x112a9,0x112a9}, {0x1144b,0x1144f}, {0x1145a,0x1145b}, {0x1145d,0x1145d},
	{0x114c6,0x114c6}, {0x115c1,0x115d7}, {0x11641,0x11643}, {0x11660,0x1166c},
	{0x1173c,0x1173e}, {0x1183b,0x1183b}, {0x11944,0x11946}, {0x119e2,0x119e2},
	{0x11a3f,0x11a46}, {0x11a9a,0x11a9c}, {0x11a9e,0x11aa2}, {0x11c41,0x11c45},
	{0x11c70,0x11c71}, {0x11ef7,0x11ef8}, {0x11fff,0x11fff}, {0x12470,0x12474},
	{0x16a6e,0x16a6f}, {0x16af5,0x16af5}, {0x16b37,0x16b3b}, {0x16b44,0x16b44},
	{0x16e97,0x16e9a}, {0x16fe2,0x16fe2}, {0x1bc9f,0x1bc9f}, {0x1da87,0x1da8b},
	{0x1e95e,0x1e95f},
};
static const struct urange u_number[] = {
	{0x30,0x39}, {0xb2,0xb3}, {0xb9,0xb9}, {0xbc,0xbe},
	{0x660,0x669}, {0x6f0,0x6f9}, {0x7c0,0x7c9}, {0x966,0x96f},
	{0x9e6,0x9ef}, {0x9f4,0x9f9}, {0xa66,0xa6f}, {0xae6,0xaef},
	{0xb66,0xb6f}, {0xb72,0xb77}, {0xbe6,0xbf2}, {0xc66,0xc6f},
	{0xc78,0xc7e}, {0xce6,0xcef}, {0xd58,0xd5e}, {0xd66,0xd78},
	{0xde6,0xdef}, {0xe50,0xe59}, {0xed0,0xed9}, {0xf20,0xf33},
	{0x1040,0x1049}, {0x1090,0x1099}, {0x1369,0x137c}, {0x16ee,0x16f0},
	{0x17e0,0x17e9}, {0x17f0,0x17f9}, {0x1810,0x1819}, {0x1946,0x194f},
	{0x19d0,0x19da}, {0x1a80,0x1a89}, {0x1a90,0x1a99}, {0x1b50,0x1b59},
	{0x1bb0,0x1bb9}, {0x1c40,0x1c49}, {0x1c50,0x1c59}, {0x2070,0x2070},
	{0x2074,0x2079}, {0x2080,0x2089}, {0x2150,0x2182}, {0x2185,0x2189},
	{0x2460,0x249b}, {0x24ea,0x24ff}, {0x2776,0x2793}, {0x2cfd,0x2cfd},
	{0x3007,0x3007}, {0x3021,0x3029}, {0x3038,0x303a}, {0x3192,0x3195},
	{0x3220,0x3229}, {0x3248,0x324f}, {0x3251,0x325f}, {0x3280,0x3289},
	{0x32b1,0x32bf}, {0xa620,0xa629}, {0xa6e6,0xa6ef}, {0xa830,0xa835},
	{0xa8d0,0xa8d9}, {0xa900,0xa909}, {0xa9d0,0xa9d9}, {0xa9f0,0xa9f9},
	{0xaa50,0xaa59}, {0xabf0,0xabf9}, {0xff10,0xff19}, {0x10107,0x10133},
	{0x10140,0x10178}, {0x1018a,0x1018b}, {0x102e1,0x102fb}, {0x10320,0x10323},
	{0x10341,0x10341}, {0x1034a,0x1034a}, {0x103d1,0x103d5}, {0x104a0,0x104a9},
	{0x10858,0x1085f}, {0x10879,0x1087f}, {0x108a7,0x108af}, {0x108fb,0x108ff},
	{0x10916,0x1091b}, {0x109bc,0x109bd}, {0x109c0,0x109cf}, {0x109d2,0x109ff},
	{0x10a40,0x10a48}, {0x10a7d,0x10a7e}, {0x10a9d,0x10a9f}, {0x10aeb,0x10aef},
	{0x10b58,0x10b5f}, {0x10b78,0x10b7f}, {0x10ba9,0x10baf}, {0x10cfa,0x10cff},
	{0x10d30,0x10d39}, {0x10e60,0x10e7e}, {0x10f1d,0x10f26}, {0x10f51,0x10f54},
	{0x10fc5,0x10fcb}, {0x11052,0x1106f}, {0x110f0,0x110f9}, {0x11136,0x1113f},
	{0x111d0,0x111d9}, {0x111e1,0x111f4}, {0x112f0,0x112f9}, {0x11450,0x11459},
	{0x114d0,0x114d9}, {0x11650,0x11659}, {0x116c0,0x116c9}, {0x11730,0x1173b},
	{0x118e0,0x118f2}, {0x11950,0x11959}, {0x11c50,0x11c6c}, {0x11d50,0x11d59},
	{0x11da0,0x11da9}, {0x11fc0,0x11fd4}, {0x12400,0x1246e}, {0x16a60,0x16a69},
	{0x16b50,0x16b59}, {0x16b5b,0x16b61}, {0x16e80,0x16e96}, {0x1d2e0,0x1d2f3},
	{0x1d360,0x1d378}, {0x1d7ce,0x1d7ff}, {0x1e140,0x1e149}, {0x1e2f0,0x1e2f9},
	{0x1e8c7,0x1e8cf}, {0x1e950,0x1e959}, {0x1ec71,0x1ecab}, {0x1ecad,0x1ecaf},
	{0x1ecb1,0x1ecb4}, {0x1ed01,0x1ed2d}, {0x1ed2f,0x1ed3d}, {0x1f100,0x1f10c},
	{0x1fbf0,0x1fbf9},
};
static const struct urange u_space[] = {
	{0x9,0xd}, {0x20,0x20}, {0x85,0x85}, {0xa0,0xa0},
	{0x1680,0x1680}, {0x2000,0x200a}, {0x2028,0x2029}, {0x202f,0x202f},
	{0x205f,0x205f}, {0x3000,0x3000},
};
static const struct ucase u_case[] = {
	{0x41,0x5a,{0,32,0}},
	{0x61,0x7a,{-32,0,-32}},
	{0xb5,0xb5,{743,0,743}},
	{0xc0,0xd6,{0,32,0}},
	{0xd8,0xde,{0,32,0}},
	{0xe0,0xf6,{-32,0,-32}},
	{0xf8,0xfe,{-32,0,-32}},
	{0xff,0xff,{121,0,121}},
	{0x100,0x12f,{1114112,1114112,1114112}},
	{0x130,0x130,{0,-199,0}},
	{0x131,0x131,{-232,0,-232}},
	{0x132,0x137,{1114112,1114112,1114112}},
	{0x139,0x148,{1114112,1114112,1114112}},
	{0x14a,0x177,{1114112,1114112,1114112}},
	{0x178,0x178,{0,-121,0}},
	{0x179,0x17e,{1114112,1114112,1114112}},
	{0x17f,0x17f,{-300,0,-300}},
	{0x180,0x180,{195,0,195}},
	{0x181,0x181,{0,210,0}},
	{0x182,0x185,{1114112,1114112,1114112}},
	{0x186,0x186,{0,206,0}},
	{0x187,0x188,{1114112,1114112,1114112}},
	{0x189,0x18a,{0,205,0}},
	{0x18b,0x18c,{1114112,1114112,1114112}},
	{0x18e,0x18e,{0,79,0}},
	{0x18f,0x18f,{0,202,0}},
	{0x190,0x190,{0,203,0}},
	{0x191,0x192,{1114112,1114112,1114112}},
	{0x193,0x193,{0,205,0}},
	{0x194,0x194,{0,207,0}},
	{0x195,0x195,{97,0,97}},
	{0x196,0x196,{0,211,0}},
	{0x197,0x197,{0,209,0}},
	{0x198,0x199,{1114112,1114112,1114112}},
	{0x19a,0x19a,{163,0,163}},
	{0x19c,0x19c,{0,211,0}},
	{0x19d,0x19d,{0,213,0}},
	{0x19e,0x19e,{130,0,130}},
	{0x19f,0x19f,{0,214,0}},
	{0x1a0,0x1a5,{1114112,1114112,1114112}},
	{0x1a6,0x1a6,{0,218,0}},
	{0x1a7,0x1a8,{1114112,1114112,1114112}},
	{0x1a9,0x1a9,{0,218,0}},
	{0x1ac,0x1ad,{1114112,1114112,1114112}},
	{0x1ae,0x1ae,{0,218,0}},
	{0x1af,0x1b0,{1114112,1114112,1114112}},
	{0x1b1,0x1b2,{0,217,0}},
	{0x1b3,0x1b6,{1114112,1114112,1114112}},
	{0x1b7,0x1b7,{0,219,0}},
	{0x1b8,0x1b9,{1114112,1114112,1114112}},
	{0x1bc,0x1bd,{1114112,1114112,1114112}},
	{0x1bf,0x1bf,{56,0,56}},
	{0x1c4,0x1c4,{0,2,1}},
	{0x1c5,0x1c5,{-1,1,0}},
	{0x1c6,0x1c6,{-2,0,-1}},
	{0x1c7,0x1c7,{0,2,1}},
	{0x1c8,0x1c8,{-1,1,0}},
	{0x1c9,0x1c9,{-2,0,-1}},
	{0x1ca,0x1ca,{0,2,1}},
	{0x1cb,0x1cb,{-1,1,0}},
	{0x1cc,0x1cc,{-2,0,-1}},
	{0x1cd,0x1dc,{1114112,1114112,1114112}},
	{0x1dd,0x1dd,{-79,0,-79}},
	{0x1de,0x1ef,{1114112,1114112,1114112}},
	{0x1f1,0x1f1,{0,2,1}},
	{0x1f2,0x1f2,{-1,1,0}},
	{0x1f3,0x1f3,{-2,0,-1}},
	{0x1f4,0x1f5,{1114112,1114112,1114112}},
	{0x1f6,0x1f6,{0,-97,0}},
	{0x1f7,0x1f7,{0,-56,0}},
	{0x1f8,0x21f,{1114112,1114112,1114112}},
	{0x220,0x220,{0,-130,0}},
	{0x222,0x233,{1114112,1114112,1114112}},
	{0x23a,0x23a,{0,10795,0}},
	{0x23b,0x23c,{1114112,1114112,1114112}},
	{0x23d,0x23d,{0,-163,0}},
	{0x23e,0x23e,{0,10792,0}},
	{0x23f,0x240,{10815,0,10815}},
	{0x241,0x242,{1114112,1114112,1114112}},
	{0x243,0x243,{0,-195,0}},
	{0x244,0x244,{0,69,0}},
	{0x245,0x245,{0,71,0}},
	{0x246,0x24f,{1114112,1114112,1114112}},
	{0x250,0x250,{10783,0,10783}},
	{0x251,0x251,{10780,0,10780}},
	{0x252,0x252,{10782,0,10782}},
	{0x253,0x253,{-210,0,-210}},
	{0x254,0x254,{-206,0,-206}},
	{0x256,0x257,{-205,0,-205}},
	{0x259,0x259,{-202,0,-202}},
	{0x25b,0x25b,{-203,0,-203}},
	{0x25c,0x25c,{42319,0,42319}},
	{0x260,0x260,{-205,0,-205}},
	{0x261,0x261,{42315,0,42315}},
	{0x263,0x263,{-207,0,-207}},
	{0x265,0x265,{42280,0,42280}},
	{0x266,0x266,{42308,0,42308}},
	{0x268,0x268,{-209,0,-209}},
	{0x269,0x269,{-211,0,-211}},
	{0x26a,0x26a,{42308,0,42308}},
	{0x26b,0x26b,{10743,0,10743}},
	{0x26c,0x26c,{42305,0,42305}},
	{0x26f,0x26f,{-211,0,-211}},
	{0x271,0x271,{10749,0,10749}},
	{0x272,0x272,{-213,0,-213}},
	{0x275,0x275,{-214,0,-214}},
	{0x27d,0x27d,{10727,0,10727}},
	{0x280,0x280,{-218,0,-218}},
	{0x282,0x282,{42307,0,42307}},
	{0x283,0x283,{-218,0,-218}},
	{0x287,0x287,{42282,0,42282}},
	{0x288,0x288,{-218,0,-218}},
	{0x289,0x289,{-69,0,-69}},
	{0x28a,0x28b,{-217,0,-217}},
	{0x28c,0x28c,{-71,0,-71}},
	{0x292,0x292,{-219,0,-219}},
	{0x29d,0x29d,{42261,0,42261}},
	{0x29e,0x29e,{42258,0,42258}},
	{0x345,0x345,{84,0,84}},
	{0x370,0x373,{1114112,1114112,1114112}},
	{0x376,0x377,{1114112,1114112,1114112}},
	{0x37b,0x37d,{130,0,130}},
	{0x37f,0x37f,{0,116,0}},
	{0x386,0x386,{0,38,0}},
	{0x388,0x38a,{0,37,0}},
	{0x38c,0x38c,{0,64,0}},
	{0x38e,0x38f,{0,63,0}},
	{0x391,0x3a1,{0,32,0}},
	{0x3a3,0x3ab,{0,32,0}},
	{0x3ac,0x3ac,{-38,0,-38}},
	{0x3ad,0x3af,{-37,0,-37}},
	{0x3b1,0x3c1,{-32,0,-32}},
	{0x3c2,0x3c2,{-31,0,-31}},
	{0x3c3,0x3cb,{-32,0,-32}},
	{0x3cc,0x3cc,{-64,0,-64}},
	{0x3cd,0x3ce,{-63,0,-63}},
	{0x3cf,0x3cf,{0,8,0}},
	{0x3d0,0x3d0,{-62,0,-62}},
	{0x3d1,0x3d1,{-57,0,-57}},
	{0x3d5,0x3d5,{-47,0,-47}},
	{0x3d6,0x3d6,{-54,0,-54}},
	{0x3d7,0x3d7,{-8,0,-8}},
	{0x3d8,0x3ef,{1114112,1114112,1114112}},
	{0x3f0,0x3f0,{-86,0,-86}},
	{0x3f1,0x3f1,{-80,0,-80}},
	{0x3f2,0x3f2,{7,0,7}},
	{0x3f3,0x3f3,{-116,0,-116}},
	{0x3f4,0x3f4,{0,-60,0}},
	{0x3f5,0x3f5,{-96,0,-96}},
	{0x3f7,0x3f8,{1114112,1114112,1114112}},
	{0x3f9,0x3f9,{0,-7,0}},
	{0x3fa,0x3fb,{1114112,1114112,1114112}},
	{0x3fd,0x3ff,{0,-130,0}},
	{0x400,0x40f,{0,80,0}},
	{0x410,0x42f,{0,32,0}},
	{0x430,0x44f,{-32,0,-32}},
	{0x450,0x45f,{-80,0,-80}},
	{0x460,0x481,{1114112,1114112,1114112}},
	{0x48a,0x4bf,{1114112,1114112,1114112}},
	{0x4c0,0x4c0,{0,15,0}},
	{0x4c1,0x4ce,{1114112,1114112,1114112}},
	{0x4cf,0x4cf,{-15,0,-15}},
	{0x4d0,0x52f,{1114112,1114112,1114112}},
	{0x531,0x556,{0,48,0}},
	{0x561,0x586,{-48,0,-48}},
	{0x10a0,0x10c5,{0,7264,0}},
	{0x10c7,0x10c7,{0,7264,0}},
	{0x10cd,0x10cd,{0,7264,0}},
	{0x10d0,0x10fa,{3008,0,0}},
	{0x10fd,0x10ff,{3008,0,0}},
	{0x13a0,0x13ef,{0,38864,0}},
	{0x13f0,0x13f5,{0,8,0}},
	{0x13f8,0x13fd,{-8,0,-8}},
	{0x1c80,0x1c80,{-6254,0,-6254}},
	{0x1c81,0x1c81,{-6253,0,-6253}},
	{0x1c82,0x1c82,{-6244,0,-6244}},
	{0x1c83,0x1c84,{-6242,0,-6242}},
	{0x1c85,0x1c85,{-6243,0,-6243}},
	{0x1c86,0x1c86,{-6236,0,-6236}},
	{0x1c87,0x1c87,{-6181,0,-6181}},
	{0x1c88,0x1c88,{35266,0,35266}},
	{0x1c90,0x1cba,{0,-3008,0}},
	{0x1cbd,0x1cbf,{0,-3008,0}},
	{0x1d79,0x1d79,{35332,0,35332}},
	{0x1d7d,0x1d7d,{3814,0,3814}},
	{0x1d8e,0x1d8e,{35384,0,35384}},
	{0x1e00,0x1e95,{1114112,1114112,1114112}},
	{0x1e9b,0x1e9b,{-59,0,-59}},
	{0x1e9e,0x1e9e,{0,-7615,0}},
	{0x1ea0,0x1eff,{1114112,1114112,1114112}},
	{0x1f00,0x1f07,{8,0,8}},
	{0x1f08,0x1f0f,{0,-8,0}},
	{0x1f10,0x1f15,{8,0,8}},
	{0x1f18,0x1f1d,{0,-8,0}},
	{0x1f20,0x1f27,{8,0,8}},
	{0x1f28,0x1f2f,{0,-8,0}},
	{0x1f30,0x1f37,{8,0,8}},
	{0x1f38,0x1f3f,{0,-8,0}},
	{0x1f40,0x1f45,{8,0,8}},
	{0x1f48,0x1f4d,{0,-8,0}},
	{0x1f51,0x1f51,{8,0,8}},
	{0x1f53,0x1f53,{8,0,8}},
	{0x1f55,0x1f55,{8,0,8}},
	{0x1f57,0x1f57,{8,0,8}},
	{0x1f59,0x1f59,{0,-8,0}},
	{0x1f5b,0x1f5b,{0,-8,0}},
	{0x1f5d,0x1f5d,{0,-8,0}},
	{0x1f5f,0x1f5f,{0,-8,0}},
	{0x1f60,0x1f67,{8,0,8}},
	{0x1f68,0x1f6f,{0,-8,0}},
	{0x1f70,0x1f71,{74,0,74}},
	{0x1f72,0x1f75,{86,0,86}},
	{0x1f76,0x1f77,{100,0,100}},
	{0x1f78,0x1f79,{128,0,128}},
	{0x1f7a,0x1f7b,{112,0,112}},
	{0x1f7c,0x1f7d,{126,0,126}},
	{0x1f80,0x1f87,{8,0,8}},
	{0x1f88,0x1f8f,{0,-8,0}},
	{0x1f90,0x1f97,{8,0,8}},
	{0x1f98,0x1f9f,{0,-8,0}},
	{0x1fa0,0x1fa7,{8,0,8}},
	{0x1fa8,0x1faf,{0,-8,0}},
	{0x1fb0,0x1fb1,{8,0,8}},
	{0x1fb3,0x1fb3,{9,0,9}},
	{0x1fb8,0x1fb9,{0,-8,0}},
	{0x1fba,0x1fbb,{0,-74,0}},
	{0x1fbc,0x1fbc,{0,-9,0}},
	{0x1fbe,0x1fbe,{-7205,0,-7205}},
	{0x1fc3,0x1fc3,{9,0,9}},
	{0x1fc8,0x1fcb,{0,-86,0}},
	{0x1fcc,0x1fcc,{0,-9,0}},
	{0x1fd0,0x1fd1,{8,0,8}},
	{0x1fd8,0x1fd9,{0,-8,0}},
	{0x1fda,0x1fdb,{0,-100,0}},
	{0x1fe0,0x1fe1,{8,0,8}},
	{0x1fe5,0x1fe5,{7,0,7}},
	{0x1fe8,0x1fe9,{0,-8,0}},
	{0x1fea,0x1feb,{0,-112,0}},
	{0x1fec,0x1fec,{0,-7,0}},
	{0x1ff3,0x1ff3,{9,0,9}},
	{0x1ff8,0x1ff9,{0,-128,0}},
	{0x1ffa,0x1ffb,{0,-126,0}},
	{0x1ffc,0x1ffc,{0,-9,0}},
	{0x2126,0x2126,{0,-7517,0}},
	{0x212a,0x212a,{0,-8383,0}},
	{0x212b,0x212b,{0,-8262,0}},
	{0x2132,0x2132,{0,28,0}},
	{0x214e,0x214e,{-28,0,-28}},
	{0x2160,0x216f,{0,16,0}},
	{0x2170,0x217f,{-16,0,-16}},
	{0x2183,0x2184,{1114112,1114112,1114112}},
	{0x24b6,0x24cf,{0,26,0}},
	{0x24d0,0x24e9,{-26,0,-26}},
	{0x2c00,0x2c2e,{0,48,0}},
	{0x2c30,0x2c5e,{-48,0,-48}},
	{0x2c60,0x2c61,{1114112,1114112,1114112}},
	{0x2c62,0x2c62,{0,-10743,0}},
	{0x2c63,0x2c63,{0,-3814,0}},
	{0x2c64,0x2c64,{0,-10727,0}},
	{0x2c65,0x2c65,{-10795,0,-10795}},
	{0x2c66,0x2c66,{-10792,0,-10792}},
	{0x2c67,0x2c6c,{1114112,1114112,1114112}},
	{0x2c6d,0x2c6d,{0,-10780,0}},
	{0x2c6e,0x2c6e,{0,-10749,0}},
	{0x2c6f,0x2c6f,{0,-10783,0}},
	{0x2c70,0x2c70,{0,-10782,0}},
	{0x2c72,0x2c73,{1114112,1114112,1114112}},
	{0x2c75,0x2c76,{1114112,1114112,1114112}},
	{0x2c7e,0x2c7f,{0,-10815,0}},
	{0x2c80,0x2ce3,{1114112,1114112,1114112}},
	{0x2ceb,0x2cee,{1114112,1114112,1114112}},
	{0x2cf2,0x2cf3,{1114112,1114112,1114112}},
	{0x2d00,0x2d25,{-7264,0,-7264}},
	{0x2d27,0x2d27,{-7264,0,-7264}},
	{0x2d2d,0x2d2d,{-7264,0,-7264}},
	{0xa640,0xa66d,{1114112,1114112,1114112}},
	{0xa680,0xa69b,{1114112,1114112,1114112}},
	{0xa722,0xa72f,{1114112,1114112,1114112}},
	{0xa732,0xa76f,{1114112,1114112,1114112}},
	{0xa779,0xa77c,{1114112,1114112,1114112}},
	{0xa77d,0xa77d,{0,-35332,0}},
	{0xa77e,0xa787,{1114112,1114112,1114112}},
	{0xa78b,0xa78c,{1114112,1114112,1114112}},
	{0xa78d,0xa78d,{0,-42280,0}},
	{0xa790,0xa793,{1114112,1114112,1114112}},
	{0xa794,0xa794,{48,0,48}},
	{0xa796,0xa7a9,{1114112,1114112,1114112}},
	{0xa7aa,0xa7aa,{0,-42308,0}},
	{0xa7ab,0xa7ab,{0,-42319,0}},
	{0xa7ac,0xa7ac,{0,-42315,0}},
	{0xa7ad,0xa7ad,{0,-42305,0}},
	{0xa7ae,0xa7ae,{0,-42308,0}},
	{0xa7b0,0xa7b0,{0,-42258,0}},
	{0xa7b1,0xa7b1,{0,-42282,0}},
	{0xa7b2,0xa7b2,{0,-42261,0}},
	{0xa7b3,0xa7b3,{0,928,0}},
	{0xa7b4,0xa7bf,{1114112,1114112,1114112}},
	{0xa7c2,0xa7c3,{1114112,1114112,1114112}},
	{0xa7c4,0xa7c4,{0,-48,0}},
	{0xa7c5,0xa7c5,{0,-42307,0}},
	{0xa7c6,0xa7c6,{0,-35384,0}},
	{0xa7c7,0xa7ca,{1114112,1114112,1114112}},
	{0xa7f5,0xa7f6,{1114112,1114112,1114112}},
	{0xab53,0xab53,{-928,0,-928}},
	{0xab70,0xabbf,{-38864,0,-38864}},
	{0xff21,0xff3a,{0,32,0}},
	{0xff41,0xff5a,{-32,0,-32}},
	{0x10400,0x10427,{0,40,0}},
	{0x10428,0x1044f,{-40,0,-40}},
	{0x104b0,0x104d3,{0,40,0}},
	{0x104d8,0x104fb,{-40,0,-40}},
	{0x10c80,0x10cb2,{0,64,0}},
	{0x10cc0,0x10cf2,{-64,0,-64}},
	{0x118a0,0x118bf,{0,32,0}},
	{0x118c0,0x118df,{-32,0,-32}},
	{0x16e40,0x16e5f,{0,32,0}},
	{0x16e60,0x16e7f,{-32,0,-32}},
	{0x1e900,0x1e921,{0,34,0}},
	{0x1e922,0x1e943,{-34,0,-34}},
};

static bool in_table(const struct urange *t, size_t n, uint32_t r)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r < t[mid].lo)
			hi = mid;
		else if (r > t[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

#define IN(t, r) in_table(t, sizeof(t) / sizeof(t[0]), r)

static bool is_upper(uint32_t r) { return IN(u_upper, r); }
static bool is_lower(uint32_t r) { return IN(u_lower, r); }
static bool is_title(uint32_t r) { return IN(u_title, r); }
static bool is_punct(uint32_t r) { return IN(u_punct, r); }
static bool is_number(uint32_t r) { return IN(u_number, r); }
bool sprig_is_space(uint32_t r) { return IN(u_space, r); }
bool sprig_is_letter(uint32_t r) { return IN(u_letter, r); }
bool sprig_is_digit(uint32_t r) { return IN(u_digit, r); }

enum { CASE_UPPER, CASE_LOWER, CASE_TITLE };

/* unicode.To(c, r): the case range holding r, its delta, or the alternating pair rule. */
static uint32_t to_case(int c, uint32_t r)
{
	size_t lo = 0, hi = sizeof(u_case) / sizeof(u_case[0]);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ucase *cr = &u_case[mid];
		if (r < cr->lo) {
			hi = mid;
		} else if (r > cr->hi) {
			lo = mid + 1;
		} else {
			int32_t d = cr->delta[c];
			if (d == UPPER_LOWER)
				return cr->lo + (((r - cr->lo) & ~1u) | (uint32_t)(c & 1));
			return (uint32_t)((int32_t)r + d);
		}
	}
	return r;
}

uint32_t sprig_to_upper(uint32_t r) { return to_case(CASE_UPPER, r); }
uint32_t sprig_to_lower(uint32_t r) { return to_case(CASE_LOWER, r); }
static uint32_t to_title(uint32_t r) { return to_case(CASE_TITLE, r); }

#define RUNE_ERROR 0xFFFDu

/* The rune at s[0..n) (n > 0) and its width; an invalid byte is U+FFFD of width 1, as
 * Go's utf8.DecodeRuneInString. */
static uint32_t rune_at(const char *s, size_t n, size_t *width)
{
	size_t w = utf8_valid_prefix(s, n);
	if (!w) {
		*width = 1;
		return RUNE_ERROR;
	}
	*width = w;
	return utf8_decode(s, w);
}

/* The last rune of s[0..n) (n > 0), as utf8.DecodeLastRuneInString. */
static uint32_t rune_before(const char *s, size_t n, size_t *width)
{
	size_t lim = n < 4 ? n : 4;
	for (size_t k = 1; k <= lim; k++) {
		unsigned char c = (unsigned char)s[n - k];
		if ((c & 0xc0) != 0x80) {
			size_t w = utf8_valid_prefix(s + n - k, k);
			if (w == k) {
				*width = k;
				return utf8_decode(s + n - k, k);
			}
			break;
		}
	}
	*width = 1;
	return RUNE_ERROR;
}

static void add_rune(struct buf *b, uint32_t r)
{
	char tmp[4];
	size_t n = utf8_encode(r, tmp);
	if (!n)
		n = utf8_encode(RUNE_ERROR, tmp);
	buf_add(b, tmp, n);
}

/* ---- Shared helpers (sprig_text.h) ------------------------------------------------- */

int sprig_check_size(struct texec *x, const char *fn, size_t n)
{
	if (n <= SPRIG_STR_MAX)
		return 0;
	return texec_failc(x, ERR_TOOBIG, "%s: result of more than %zu bytes", fn, SPRIG_STR_MAX);
}

void sprig_strval(struct buf *out, const struct tv *v)
{
	if (v && (v->kind == TV_STRING || v->kind == TV_BYTES))
		buf_add(out, v->u.s.ptr, v->u.s.len);
	else
		tfmt_value(out, tv_is_nil(v) ? &tv_nil_value : v); /* a missing value is nil here */
}

struct tv *sprig_strval_tv(struct texec *x, const struct tv *v)
{
	if (v && v->kind == TV_STRING && !v->type)
		return (struct tv *)v;
	struct buf b = BUF_INIT;
	sprig_strval(&b, v);
	struct tv *s = tv_strn(texec_arena(x), b.ptr, b.len);
	buf_release(&b);
	return s;
}

/* The uint8 values a []uint8 holds, shared and never changed. */
#define U8(i) { .kind = TV_UINT, .type = "uint8", .u.u = (i) }
#define U8_4(i) U8(i), U8((i) + 1), U8((i) + 2), U8((i) + 3)
#define U8_16(i) U8_4(i), U8_4((i) + 4), U8_4((i) + 8), U8_4((i) + 12)
#define U8_64(i) U8_16(i), U8_16((i) + 16), U8_16((i) + 32), U8_16((i) + 48)
static struct tv u8_values[256] = { U8_64(0), U8_64(64), U8_64(128), U8_64(192) };

bool sprig_list_items(struct texec *x, const struct tv *v, struct tv ***items, size_t *n)
{
	if (!v)
		return false;
	if (v->kind == TV_LIST) {
		*items = v->u.list.items;
		*n = v->u.list.len;
		return true;
	}
	if (v->kind == TV_BYTES) {
		/* The items point into one shared table of the 256 uint8 values (Go boxes small
		 * integers without allocating too): a pointer per byte. */
		size_t n0 = v->u.s.len ? v->u.s.len : 1;
		struct tv **it = arena_alloc8(texec_arena(x), n0 * sizeof(*it));
		for (size_t i = 0; i < v->u.s.len; i++)
			it[i] = &u8_values[(unsigned char)v->u.s.ptr[i]];
		*items = it;
		*n = v->u.s.len;
		return true;
	}
	return false;
}

int sprig_kind_fail(struct texec *x, const char *fmt, const struct tv *v)
{
	if (tv_is_nil(v))
		return texec_fail(x, "%s", SPRIG_NIL_DEREF);
	struct buf b = BUF_INIT;
	const char *pct = strstr(fmt, "%s");
	buf_add(&b, fmt, pct ? (size_t)(pct - fmt) : strlen(fmt));
	if (pct) {
		buf_adds(&b, tv_kind_name(v));
		buf_adds(&b, pct + 2);
	}
	int rc = texec_fail(x, "%s", b.ptr);
	buf_release(&b);
	return rc;
}

bool sprig_empty(const struct tv *v)
{
	return !tv_truth(v);
}

struct tv *sprig_strslice(struct texec *x, const struct tv *v)
{
	struct arena *a = texec_arena(x);
	struct tv *l;
	if (v && v->kind == TV_LIST && v->type && strcmp(v->type, "[]string") == 0) {
		l = tv_list(a, v->u.list.len);
		for (size_t i = 0; i < v->u.list.len; i++)
			tv_list_push(a, l, v->u.list.items[i]);
	} else {
		struct tv **items;
		size_t n;
		if (sprig_list_items(x, v, &items, &n)) {
			l = tv_list(a, n);
			for (size_t i = 0; i < n; i++)
				if (!tv_is_nil(items[i]))
					tv_list_push(a, l, sprig_strval_tv(x, items[i]));
		} else {
			l = tv_list(a, 1);
			if (!tv_is_nil(v))
				tv_list_push(a, l, sprig_strval_tv(x, v));
		}
	}
	l->type = "[]string";
	return l;
}

/* strconv.ParseInt(s, 0, 64) on the whole of s: sign, 0x/0o/0b/0 prefixes, underscores
 * only after a prefix. Returns false when it does not parse or overflows. */
static bool go_parse_int(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	int base = 10;
	bool prefixed = false;
	if (i + 1 < n && s[i] == '0') {
		char c = (char)(s[i + 1] | 0x20);
		if (c == 'x') base = 16, i += 2, prefixed = true;
		else if (c == 'o') base = 8, i += 2, prefixed = true;
		else if (c == 'b') base = 2, i += 2, prefixed = true;
		else base = 8, i += 1, prefixed = true;
	}
	if (i >= n && !(base == 8 && prefixed && s[i - 1] == '0'))
		return false;
	uint64_t u = 0;
	bool digits = base == 8 && prefixed && s[i - 1] == '0';
	bool last_us = false;
	for (; i < n; i++) {
		char c = s[i];
		if (c == '_' && prefixed) {
			if (last_us)
				return false;
			last_us = true;
			continue;
		}
		int d = c >= '0' && c <= '9' ? c - '0'
			: (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? (c | 0x20) - 'a' + 10 : 99;
		if (d >= base)
			return false;
		if (u > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return false;
		u = u * (uint64_t)base + (uint64_t)d;
		digits = true;
		last_us = false;
	}
	if (!digits || last_us)
		return false;
	if (neg ? u > (uint64_t)INT64_MAX + 1 : u > (uint64_t)INT64_MAX)
		return false;
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return true;
}

int64_t sprig_to_int(const struct tv *v)
{
	if (!v)
		return 0;
	switch ((enum tv_kind)v->kind) {
	case TV_INT: return v->u.i;
	case TV_UINT: return (int64_t)v->u.u;
	case TV_FLOAT:
		if (isnan(v->u.f) || v->u.f >= 0x1p63 || v->u.f < -0x1p63)
			return INT64_MIN;
		return (int64_t)v->u.f;
	case TV_BOOL: return v->u.b ? 1 : 0;
	case TV_STRING: {
		/* cast trims a ".0..." decimal tail before ParseInt. */
		size_t n = v->u.s.len;
		const char *s = v->u.s.ptr;
		const char *dot = memchr(s, '.', n);
		if (dot) {
			bool zeros = dot + 1 < s + n;
			for (const char *p = dot + 1; p < s + n; p++)
				zeros = zeros && *p == '0';
			if (zeros)
				n = (size_t)(dot - s);
		}
		int64_t i;
		return go_parse_int(s, n, &i) ? i : 0;
	}
	default: return 0;
	}
}

/* strconv.Quote through fmt's %q. */
static void go_quote(struct buf *out, const char *s, size_t n)
{
	struct tv v = { .kind = TV_STRING };
	v.u.s.ptr = s;
	v.u.s.len = n;
	struct tv *args[1] = { &v };
	tfmt_sprintf(out, "%q", 2, args, 1);
}

static int str_out(struct texec *x, const char *p, size_t n, struct tv **out)
{
	*out = tv_strn(texec_arena(x), p, n);
	return 0;
}

/* The buffer's bytes as the result, or ERR_TOOBIG when it hit its cap. */
static int buf_out(struct texec *x, const char *fn, struct buf *b, struct tv **out)
{
	int rc = b->err ? sprig_check_size(x, fn, SPRIG_STR_MAX + 1)
			: str_out(x, b->ptr, b->len, out);
	buf_release(b);
	return rc;
}

static void capped(struct buf *b)
{
	buf_init(b, SPRIG_STR_MAX);
}

#define S(i) (args[i]->u.s.ptr)
#define SN(i) (args[i]->u.s.len)

/* ---- Strings --------------------------------------------------------------------- */

/* strings.Map with a rune mapping: invalid bytes become U+FFFD, as Go's Map writes them
 * once anything changed (and an invalid byte counts as a change). */
typedef uint32_t (*rune_map)(uint32_t r, void *ctx);

static void map_runes(struct buf *b, const char *s, size_t n, rune_map fn, void *ctx)
{
	for (size_t i = 0; i < n;) {
		size_t w;
		uint32_t r = rune_at(s + i, n - i, &w);
		add_rune(b, fn(r, ctx));
		i += w;
	}
}

static bool ascii_only(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

static uint32_t map_upper(uint32_t r, void *ctx) { (void)ctx; return sprig_to_upper(r); }
static uint32_t map_lower(uint32_t r, void *ctx) { (void)ctx; return sprig_to_lower(r); }

static int f_upper(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	if (ascii_only(S(0), SN(0))) {
		char *p = arena_strndup(texec_arena(x), S(0), SN(0));
		for (size_t i = 0; i < SN(0); i++)
			if (p[i] >= 'a' && p[i] <= 'z')
				p[i] = (char)(p[i] - 32);
		*out = tv_str_borrow(texec_arena(x), p, SN(0));
		return 0;
	}
	struct buf b = BUF_INIT;
	map_runes(&b, S(0), SN(0), map_upper, NULL);
	return buf_out(x, "upper", &b, out);
}

static int f_lower(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	if (ascii_only(S(0), SN(0))) {
		char *p = arena_strndup(texec_arena(x), S(0), SN(0));
		for (size_t i = 0; i < SN(0); i++)
			if (p[i] >= 'A' && p[i] <= 'Z')
				p[i] = (char)(p[i] + 32);
		*out = tv_str_borrow(texec_arena(x), p, SN(0));
		return 0;
	}
	struct buf b = BUF_INIT;
	map_runes(&b, S(0), SN(0), map_lower, NULL);
	return buf_out(x, "lower", &b, out);
}

/* strings.Title's isSeparator: ASCII alphanumerics and '_' are not, other ASCII is;
 * Unicode letters and digits are not, spaces are, anything else is not. */
static bool title_separator(uint32_t r)
{
	if (r <= 0x7f) {
		if ((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') ||
		    r == '_')
			return false;
		return true;
	}
	if (sprig_is_letter(r) || sprig_is_digit(r))
		return false;
	return sprig_is_space(r);
}

static uint32_t map_title(uint32_t r, void *ctx)
{
	uint32_t *prev = ctx;
	bool sep = title_separator(*prev);
	*prev = r;
	return sep ? to_title(r) : r;
}

static int f_title(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	uint32_t prev = ' ';
	struct buf b = BUF_INIT;
	map_runes(&b, S(0), SN(0), map_title, &prev);
	return buf_out(x, "title", &b, out);
}

/* goutils.Uncapitalize: the first rune of each space-separated word lowered (on []rune,
 * so invalid bytes become U+FFFD). */
static int f_untitle(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct buf b = BUF_INIT;
	bool next = true;
	for (size_t i = 0; i < SN(0);) {
		size_t w;
		uint32_t r = rune_at(S(0) + i, SN(0) - i, &w);
		if (sprig_is_space(r)) {
			next = true;
		} else if (next) {
			r = sprig_to_lower(r);
			next = false;
		}
		add_rune(&b, r);
		i += w;
	}
	return buf_out(x, "untitle", &b, out);
}

/* goutils.SwapCase: upper and title lowered, lower after a space (or at the start)
 * titled, other lower uppered. */
static int f_swapcase(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct buf b = BUF_INIT;
	bool white = true;
	for (size_t i = 0; i < SN(0);) {
		size_t w;
		uint32_t r = rune_at(S(0) + i, SN(0) - i, &w);
		if (is_upper(r) || is_title(r)) {
			r = sprig_to_lower(r);
			white = false;
		} else if (is_lower(r)) {
			r = white ? to_title(r) : sprig_to_upper(r);
			white = false;
		} else {
			white = sprig_is_space(r);
		}
		add_rune(&b, r);
		i += w;
	}
	return buf_out(x, "swapcase", &b, out);
}

/* strings.TrimSpace / strings.Trim(s, cutset): runes from both ends. */
static bool in_cutset(uint32_t r, const char *set, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t w;
		if (rune_at(set + i, n - i, &w) == r)
			return true;
		i += w;
	}
	return false;
}

static int trim_out(struct texec *x, const char *s, size_t n, const char *set, size_t setn,
		    struct tv **out)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t w;
		uint32_t r = rune_at(s + lo, hi - lo, &w);
		if (set ? !in_cutset(r, set, setn) : !sprig_is_space(r))
			break;
		lo += w;
	}
	while (hi > lo) {
		size_t w;
		uint32_t r = rune_before(s + lo, hi - lo, &w);
		if (set ? !in_cutset(r, set, setn) : !sprig_is_space(r))
			break;
		hi -= w;
	}
	return str_out(x, s + lo, hi - lo, out);
}

static int f_trim(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return trim_out(x, S(0), SN(0), NULL, 0, out);
}

/* trimAll CUTSET S (and the deprecated trimall): an empty cutset trims nothing. */
static int f_trim_all(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	if (SN(0) == 0)
		return str_out(x, S(1), SN(1), out);
	return trim_out(x, S(1), SN(1), S(0), SN(0), out);
}

static int f_trim_prefix(struct texec *x, struct tv *const *args, size_t nargs,
			 struct tv **out)
{
	(void)nargs;
	if (SN(1) >= SN(0) && memcmp(S(1), S(0), SN(0)) == 0)
		return str_out(x, S(1) + SN(0), SN(1) - SN(0), out);
	*out = args[1];
	return 0;
}

static int f_trim_suffix(struct texec *x, struct tv *const *args, size_t nargs,
			 struct tv **out)
{
	(void)nargs;
	if (SN(1) >= SN(0) && memcmp(S(1) + SN(1) - SN(0), S(0), SN(0)) == 0)
		return str_out(x, S(1), SN(1) - SN(0), out);
	*out = args[1];
	return 0;
}

/* goutils' byte-wise helpers read each byte as a rune: 0x85 and 0xA0 are spaces there. */
static bool byte_space(unsigned char c)
{
	return sprig_is_space(c);
}

/* goutils.DeleteWhiteSpace: bytes kept are written back as runes (a byte >= 0x80 becomes
 * its Latin-1 code point in UTF-8), unless nothing was deleted. */
static int f_nospace(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	size_t kept = 0;
	for (size_t i = 0; i < SN(0); i++)
		kept += !byte_space((unsigned char)S(0)[i]);
	if (kept == SN(0)) {
		*out = args[0];
		return 0;
	}
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < SN(0); i++)
		if (!byte_space((unsigned char)S(0)[i]))
			add_rune(&b, (unsigned char)S(0)[i]);
	return buf_out(x, "nospace", &b, out);
}

/* goutils.Initials: the first byte of each space-separated word, written as a rune. */
static int f_initials(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct buf b = BUF_INIT;
	bool gap = true;
	for (size_t i = 0; i < SN(0); i++) {
		unsigned char c = (unsigned char)S(0)[i];
		if (byte_space(c)) {
			gap = true;
		} else if (gap) {
			add_rune(&b, c);
			gap = false;
		}
	}
	return buf_out(x, "initials", &b, out);
}

/* goutils.AbbreviateFull on bytes; sprig returns s unchanged for the widths goutils
 * refuses. */
static void abbreviate(struct buf *b, const char *s, size_t n, int64_t offset, int64_t max)
{
	int64_t len = (int64_t)n;
	if (n == 0)
		return;
	if (max < 4) /* goutils' error: sprig ignores it and prints "" */
		return;
	if (len <= max) {
		buf_add(b, s, n);
		return;
	}
	if (offset > len)
		offset = len;
	if (len - offset < max - 3)
		offset = len - (max - 3);
	if (offset <= 4) {
		buf_add(b, s, (size_t)(max - 3));
		buf_adds(b, "...");
		return;
	}
	if (max < 7)
		return;
	if (offset + max - 3 < len) {
		buf_adds(b, "...");
		abbreviate(b, s + offset, (size_t)(len - offset), 0, max - 3);
		return;
	}
	buf_adds(b, "...");
	buf_add(b, s + len - (max - 3), (size_t)(max - 3));
}

static int f_abbrev(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	int64_t width = args[0]->u.i;
	if (width < 4) {
		*out = args[1];
		return 0;
	}
	struct buf b = BUF_INIT;
	abbreviate(&b, S(1), SN(1), 0, width);
	return buf_out(x, "abbrev", &b, out);
}

static int f_abbrevboth(struct texec *x, struct tv *const *args, size_t nargs,
			struct tv **out)
{
	(void)nargs;
	int64_t left = args[0]->u.i, right = args[1]->u.i;
	if (right < 4 || (left > 0 && right < 7)) {
		*out = args[2];
		return 0;
	}
	struct buf b = BUF_INIT;
	abbreviate(&b, S(2), SN(2), left, right);
	return buf_out(x, "abbrevboth", &b, out);
}

static int f_trunc(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	int64_t c = args[0]->u.i, len = (int64_t)SN(1);
	if (c < 0 && len + c > 0)
		return str_out(x, S(1) + len + c, (size_t)-c, out);
	if (c >= 0 && len > c)
		return str_out(x, S(1), (size_t)c, out);
	*out = args[1];
	return 0;
}

/* substr START END S with Go's slice expressions and their panics. */
#define OUT_OF_RANGE "runtime error: slice bounds out of range "
static int f_substr(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	int64_t start = args[0]->u.i, end = args[1]->u.i, len = (int64_t)SN(2);
	if (start < 0) {
		if (end < 0)
			return texec_fail(x, OUT_OF_RANGE "[:%" PRId64 "]", end);
		if (end > len)
			return texec_fail(x, OUT_OF_RANGE "[:%" PRId64 "] with length %" PRId64,
					  end, len);
		return str_out(x, S(2), (size_t)end, out);
	}
	if (end < 0 || end > len) {
		if (start > len)
			return texec_fail(x, OUT_OF_RANGE "[%" PRId64 ":%" PRId64 "]", start, len);
		return str_out(x, S(2) + start, (size_t)(len - start), out);
	}
	if (start > end)
		return texec_fail(x, OUT_OF_RANGE "[%" PRId64 ":%" PRId64 "]", start, end);
	return str_out(x, S(2) + start, (size_t)(end - start), out);
}

static int f_repeat(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	int64_t count = args[0]->u.i;
	if (count < 0)
		return texec_fail(x, "strings: negative Repeat count");
	if (SN(1) && (uint64_t)count > SPRIG_STR_MAX / SN(1))
		return sprig_check_size(x, "repeat", SPRIG_STR_MAX + 1);
	struct buf b = BUF_INIT;
	for (int64_t i = 0; i < count && SN(1); i++)
		buf_add(&b, S(1), SN(1));
	return buf_out(x, "repeat", &b, out);
}

static bool contains(const char *s, size_t n, const char *sub, size_t m)
{
	return m == 0 || (m <= n && memmem(s, n, sub, m) != NULL);
}

static int f_contains(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)x;
	(void)nargs;
	*out = tv_bool(contains(S(1), SN(1), S(0), SN(0)));
	return 0;
}

static int f_has_prefix(struct texec *x, struct tv *const *args, size_t nargs,
			struct tv **out)
{
	(void)x;
	(void)nargs;
	*out = tv_bool(SN(1) >= SN(0) && memcmp(S(1), S(0), SN(0)) == 0);
	return 0;
}

static int f_has_suffix(struct texec *x, struct tv *const *args, size_t nargs,
			struct tv **out)
{
	(void)x;
	(void)nargs;
	*out = tv_bool(SN(1) >= SN(0) && memcmp(S(1) + SN(1) - SN(0), S(0), SN(0)) == 0);
	return 0;
}

/* quote: each non-nil argument's strval through %q, joined by spaces. */
static int f_quote(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	struct buf b;
	capped(&b);
	bool first = true;
	for (size_t i = 0; i < nargs; i++) {
		if (tv_is_nil(args[i]))
			continue;
		if (!first)
			buf_addch(&b, ' ');
		first = false;
		struct buf s = BUF_INIT;
		sprig_strval(&s, args[i]);
		go_quote(&b, s.ptr, s.len);
		buf_release(&s);
	}
	return buf_out(x, "quote", &b, out);
}

/* squote: '%v' of each non-nil argument (no escaping). */
static int f_squote(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	struct buf b;
	capped(&b);
	bool first = true;
	for (size_t i = 0; i < nargs; i++) {
		if (tv_is_nil(args[i]))
			continue;
		if (!first)
			buf_addch(&b, ' ');
		first = false;
		buf_addch(&b, '\'');
		tfmt_value(&b, args[i]);
		buf_addch(&b, '\'');
	}
	return buf_out(x, "squote", &b, out);
}

/* cat: the non-nil arguments' %v joined by spaces. */
static int f_cat(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	struct buf b;
	capped(&b);
	bool first = true;
	for (size_t i = 0; i < nargs; i++) {
		if (tv_is_nil(args[i]))
			continue;
		if (!first)
			buf_addch(&b, ' ');
		first = false;
		tfmt_value(&b, args[i]);
	}
	return buf_out(x, "cat", &b, out);
}

static int indent_to(struct texec *x, const char *fn, struct buf *b, int64_t spaces,
		     const char *s, size_t n)
{
	if (spaces < 0)
		return texec_fail(x, "strings: negative Repeat count");
	size_t lines = 1;
	for (size_t i = 0; i < n; i++)
		lines += s[i] == '\n';
	if ((uint64_t)spaces > SPRIG_STR_MAX || (uint64_t)spaces * lines + n > SPRIG_STR_MAX)
		return sprig_check_size(x, fn, SPRIG_STR_MAX + 1);
	buf_addnch(b, ' ', (size_t)spaces);
	for (size_t i = 0; i < n; i++) {
		buf_addch(b, s[i]);
		if (s[i] == '\n')
			buf_addnch(b, ' ', (size_t)spaces);
	}
	return 0;
}

static int f_indent(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct buf b = BUF_INIT;
	int rc = indent_to(x, "indent", &b, args[0]->u.i, S(1), SN(1));
	if (rc) {
		buf_release(&b);
		return rc;
	}
	return buf_out(x, "indent", &b, out);
}

static int f_nindent(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct buf b = BUF_INIT;
	buf_addch(&b, '\n');
	int rc = indent_to(x, "nindent", &b, args[0]->u.i, S(1), SN(1));
	if (rc) {
		buf_release(&b);
		return rc;
	}
	return buf_out(x, "nindent", &b, out);
}

/* strings.Replace(src, old, new, -1): an empty old matches before each rune and at the
 * end. */
static int f_replace(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const char *old = S(0), *nw = S(1), *s = S(2);
	size_t on = SN(0), nn = SN(1), n = SN(2);
	struct buf b;
	capped(&b);
	if (on == 0) {
		for (size_t i = 0; i < n && !b.err;) {
			size_t w;
			rune_at(s + i, n - i, &w);
			buf_add(&b, nw, nn);
			buf_add(&b, s + i, w);
			i += w;
		}
		buf_add(&b, nw, nn);
		return buf_out(x, "replace", &b, out);
	}
	size_t i = 0;
	while (i < n && !b.err) {
		const char *hit = n - i >= on ? memmem(s + i, n - i, old, on) : NULL;
		if (!hit) {
			buf_add(&b, s + i, n - i);
			break;
		}
		size_t at = (size_t)(hit - s);
		buf_add(&b, s + i, at - i);
		buf_add(&b, nw, nn);
		i = at + on;
	}
	return buf_out(x, "replace", &b, out);
}

static int f_plural(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)x;
	(void)nargs;
	*out = args[2]->u.i == 1 ? args[0] : args[1];
	return 0;
}

/* strings.Split / SplitN: n < 0 all, n == 0 nil; an empty separator splits into runes.
 * Calls fn for each part. */
typedef void (*part_fn)(struct texec *x, void *ctx, size_t i, const char *p, size_t n);

static size_t go_split(struct texec *x, const char *s, size_t n, const char *sep, size_t sn,
		       int64_t max, part_fn fn, void *ctx)
{
	if (max == 0)
		return 0;
	size_t k = 0;
	if (sn == 0) {
		/* Go's explode: the last piece is the raw rest; an invalid byte before it is
		 * "\uFFFD". */
		for (size_t i = 0; i < n;) {
			size_t w;
			uint32_t r = rune_at(s + i, n - i, &w);
			bool last = (max > 0 && (int64_t)k == max - 1) || i + w == n;
			if (last)
				w = n - i;
			if (!last && r == RUNE_ERROR && w == 1)
				fn(x, ctx, k++, "\xef\xbf\xbd", 3);
			else
				fn(x, ctx, k++, s + i, w);
			i += w;
		}
		return k;
	}
	size_t i = 0;
	for (;;) {
		const char *hit = NULL;
		if ((max < 0 || (int64_t)k < max - 1) && n - i >= sn)
			hit = memmem(s + i, n - i, sep, sn);
		if (!hit) {
			fn(x, ctx, k++, s + i, n - i);
			return k;
		}
		fn(x, ctx, k++, s + i, (size_t)(hit - (s + i)));
		i = (size_t)(hit - s) + sn;
	}
}

static void part_to_list(struct texec *x, void *ctx, size_t i, const char *p, size_t n)
{
	(void)i;
	tv_list_push(texec_arena(x), ctx, tv_strn(texec_arena(x), p, n));
}

static void part_to_map(struct texec *x, void *ctx, size_t i, const char *p, size_t n)
{
	char key[32];
	snprintf(key, sizeof(key), "_%zu", i);
	tv_map_set(texec_arena(x), ctx, key, tv_strn(texec_arena(x), p, n));
}

static int f_split_list(struct texec *x, struct tv *const *args, size_t nargs,
			struct tv **out)
{
	(void)nargs;
	struct tv *l = tv_list(texec_arena(x), 0);
	l->type = "[]string";
	go_split(x, S(1), SN(1), S(0), SN(0), -1, part_to_list, l);
	*out = l;
	return 0;
}

static int f_split(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct tv *m = tv_map_new(texec_arena(x));
	m->type = "map[string]string";
	go_split(x, S(1), SN(1), S(0), SN(0), -1, part_to_map, m);
	*out = m;
	return 0;
}

static int f_splitn(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct tv *m = tv_map_new(texec_arena(x));
	m->type = "map[string]string";
	go_split(x, S(2), SN(2), S(0), SN(0), args[1]->u.i, part_to_map, m);
	*out = m;
	return 0;
}

/* goutils.WrapCustom on bytes: break at the last space within the width; a longer word
 * is cut (wrapWith) or kept whole up to the next space (wrap). */
static void wrap_custom(struct buf *b, const char *s, size_t n, int64_t width,
			const char *nl, size_t nln, bool long_words)
{
	if (n == 0)
		return;
	if (nln == 0)
		nl = "\n", nln = 1;
	if (width < 1)
		width = 1;
	size_t w = (size_t)width, off = 0;
	while (n - off > w && !b->err) {
		if (s[off] == ' ') {
			off++;
			continue;
		}
		size_t end = w + off + 1;
		ssize_t sp = -1;
		for (size_t i = end; i > off; i--)
			if (s[i - 1] == ' ') {
				sp = (ssize_t)(i - 1);
				break;
			}
		if (sp >= (ssize_t)off) {
			buf_add(b, s + off, (size_t)sp - off);
			buf_add(b, nl, nln);
			off = (size_t)sp + 1;
		} else if (long_words) {
			buf_add(b, s + off, w);
			buf_add(b, nl, nln);
			off += w;
		} else {
			size_t e = w + off;
			const char *q = memchr(s + e, ' ', n - e);
			if (!q) {
				buf_add(b, s + off, n - off);
				off = n;
			} else {
				buf_add(b, s + off, (size_t)(q - s) - off);
				buf_add(b, nl, nln);
				off = (size_t)(q - s) + 1;
			}
		}
	}
	buf_add(b, s + off, n - off);
}

static int f_wrap(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct buf b;
	capped(&b);
	wrap_custom(&b, S(1), SN(1), args[0]->u.i, "", 0, false);
	return buf_out(x, "wrap", &b, out);
}

static int f_wrap_with(struct texec *x, struct tv *const *args, size_t nargs,
		       struct tv **out)
{
	(void)nargs;
	struct buf b;
	capped(&b);
	wrap_custom(&b, S(2), SN(2), args[0]->u.i, S(1), SN(1), true);
	return buf_out(x, "wrapWith", &b, out);
}

/* xstrings.Shuffle: the runes in a random order (math/rand in Go; any order is right). */
static int f_shuffle(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	size_t n = 0;
	uint32_t *runes = arena_alloc(texec_arena(x), (SN(0) + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < SN(0);) {
		size_t w;
		runes[n++] = rune_at(S(0) + i, SN(0) - i, &w);
		i += w;
	}
	for (size_t i = n; i > 1; i--) {
		size_t j = arc4random_uniform((uint32_t)i);
		uint32_t t = runes[i - 1];
		runes[i - 1] = runes[j];
		runes[j] = t;
	}
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		add_rune(&b, runes[i]);
	return buf_out(x, "shuffle", &b, out);
}

/* ---- xstrings: camelcase (ToPascalCase), snakecase, kebabcase ----------------------- */

static bool is_connector(uint32_t r)
{
	return r == '-' || r == '_' || sprig_is_space(r);
}

static bool is_alphabet(uint32_t r)
{
	if (!sprig_is_letter(r))
		return false;
	if (r < 0x3400)
		return true;
	if ((r >= 0x4E00 && r <= 0x9FCC) || (r >= 0x3400 && r <= 0x4D85) ||
	    (r >= 0x20000 && r <= 0x2B81D))
		return false;
	return true;
}

/* xstrings.ToPascalCase (sprig's camelcase): connectors dropped and the rune after them
 * uppered; leading connectors kept, and runs of them keep all but the last. */
static int f_camelcase(struct texec *x, struct tv *const *args, size_t nargs,
		       struct tv **out)
{
	(void)nargs;
	const char *s = S(0);
	size_t n = SN(0), i = 0, w = 0;
	struct buf b;
	capped(&b);
	if (n == 0)
		return buf_out(x, "camelcase", &b, out);
	uint32_t r0 = 0, r1;
	while (i < n) {
		r0 = rune_at(s + i, n - i, &w);
		i += w;
		if (!is_connector(r0)) {
			r0 = sprig_to_upper(r0);
			break;
		}
		add_rune(&b, r0);
	}
	if (i >= n) {
		if (w)
			add_rune(&b, r0); /* again, if all were connectors: as xstrings */
		return buf_out(x, "camelcase", &b, out);
	}
	while (i < n) {
		r1 = r0;
		r0 = rune_at(s + i, n - i, &w);
		i += w;
		if (is_connector(r0) && is_connector(r1)) {
			add_rune(&b, r1);
			continue;
		}
		if (is_connector(r1))
			r0 = sprig_to_upper(r0);
		else
			add_rune(&b, r1);
	}
	add_rune(&b, r0);
	return buf_out(x, "camelcase", &b, out);
}

enum word_type { W_INVALID, W_NUMBER, W_UPPER, W_ALPHA, W_CONNECTOR, W_PUNCT, W_OTHER };

struct words {
	const char *s;
	size_t n, pos; /* remaining = s[pos..n) */
};

/* xstrings' nextValidRune: skips invalid bytes; at the end gives prev with the skipped
 * size. */
static uint32_t next_valid(const char *s, size_t n, uint32_t prev, size_t *size)
{
	size_t total = 0;
	while (total < n) {
		size_t w;
		uint32_t r = rune_at(s + total, n - total, &w);
		total += w;
		if (r != RUNE_ERROR) {
			*size = total;
			return r;
		}
	}
	*size = total;
	return prev;
}

/* xstrings' nextWord: the type and extent of the next word of s[pos..n). */
static enum word_type next_word(struct words *st, const char **word, size_t *wlen)
{
	const char *str = st->s + st->pos;
	size_t len = st->n - st->pos;
	*word = str;
	*wlen = 0;
	if (len == 0)
		return W_INVALID;
	size_t off = 0, rem = 0, size;
	uint32_t r = next_valid(str, len, RUNE_ERROR, &size);
	off += size;
	enum word_type wt;
	if (r == RUNE_ERROR) {
		*wlen = off;
		st->pos += off;
		return W_INVALID;
	}
	rem = size; /* bytes of str consumed */
#define MORE() (rem < len)
#define NEXT() (r = next_valid(str + rem, len - rem, r, &size))
	if (is_connector(r)) {
		wt = W_CONNECTOR;
		while (MORE()) {
			NEXT();
			if (!is_connector(r))
				break;
			off += size;
			rem += size;
		}
	} else if (is_punct(r)) {
		wt = W_PUNCT;
		while (MORE()) {
			NEXT();
			if (!is_punct(r))
				break;
			off += size;
			rem += size;
		}
	} else if (is_upper(r)) {
		wt = W_UPPER;
		if (MORE()) {
			NEXT();
			if (is_upper(r)) {
				size_t prev_size = size;
				off += size;
				rem += size;
				while (MORE()) {
					NEXT();
					if (!is_upper(r))
						break;
					prev_size = size;
					off += size;
					rem += size;
				}
				if (MORE() && is_alphabet(r)) {
					off -= prev_size;
					rem = off;
				}
			} else if (is_alphabet(r)) {
				off += size;
				rem += size;
				while (MORE()) {
					NEXT();
					if (!is_alphabet(r) || is_upper(r))
						break;
					off += size;
					rem += size;
				}
			}
		}
	} else if (is_alphabet(r)) {
		wt = W_ALPHA;
		while (MORE()) {
			NEXT();
			if (!is_alphabet(r) || is_upper(r))
				break;
			off += size;
			rem += size;
		}
	} else if (is_number(r)) {
		wt = W_NUMBER;
		while (MORE()) {
			NEXT();
			if (!is_number(r))
				break;
			off += size;
			rem += size;
		}
	} else {
		wt = W_OTHER;
		while (MORE()) {
			NEXT();
			if (size == 0 || is_connector(r) || is_alphabet(r) || is_number(r) ||
			    is_punct(r))
				break;
			off += size;
			rem += size;
		}
	}
#undef MORE
#undef NEXT
	*wlen = off;
	st->pos += rem;
	return wt;
}

static void word_lower(struct buf *b, enum word_type wt, const char *w, size_t n, char conn)
{
	if (wt != W_UPPER && wt != W_CONNECTOR) {
		buf_add(b, w, n);
		return;
	}
	for (size_t i = 0; i < n;) {
		size_t k;
		uint32_t r = rune_at(w + i, n - i, &k);
		i += k;
		if (is_connector(r))
			buf_addch(b, conn);
		else if (is_upper(r))
			add_rune(b, sprig_to_lower(r));
		else
			add_rune(b, r);
	}
}

/* xstrings' camelCaseToLowerCase (ToSnakeCase, ToKebabCase). */
static void to_lower_case(struct buf *b, const char *s, size_t n, char conn)
{
	if (n == 0)
		return;
	struct words st = { s, n, 0 };
	const char *word;
	size_t wl;
	enum word_type wt = next_word(&st, &word, &wl);
	while (st.pos < st.n && !b->err) {
		if (wt != W_CONNECTOR)
			word_lower(b, wt, word, wl, conn);
		enum word_type prev = wt;
		const char *last = word;
		size_t lastl = wl;
		wt = next_word(&st, &word, &wl);
		switch (prev) {
		case W_NUMBER:
			while (wt == W_ALPHA || wt == W_NUMBER) {
				word_lower(b, wt, word, wl, conn);
				wt = next_word(&st, &word, &wl);
			}
			if (wt != W_INVALID && wt != W_PUNCT && wt != W_CONNECTOR)
				buf_addch(b, conn);
			break;
		case W_CONNECTOR:
			word_lower(b, prev, last, lastl, conn);
			break;
		case W_PUNCT:
			break;
		default:
			if (wt != W_NUMBER) {
				if (wt != W_CONNECTOR && wt != W_PUNCT)
					buf_addch(b, conn);
				break;
			}
			if (st.pos >= st.n)
				break;
			last = word;
			lastl = wl;
			wt = next_word(&st, &word, &wl);
			if (wt != W_ALPHA) {
				word_lower(b, W_NUMBER, last, lastl, conn);
				if (wt != W_CONNECTOR && wt != W_PUNCT)
					buf_addch(b, conn);
				break;
			}
			buf_addch(b, conn);
			word_lower(b, W_NUMBER, last, lastl, conn);
			while (wt == W_ALPHA || wt == W_NUMBER) {
				word_lower(b, wt, word, wl, conn);
				wt = next_word(&st, &word, &wl);
			}
			if (wt != W_INVALID && wt != W_CONNECTOR && wt != W_PUNCT)
				buf_addch(b, conn);
		}
	}
	word_lower(b, wt, word, wl, conn);
}

static int f_snakecase(struct texec *x, struct tv *const *args, size_t nargs,
		       struct tv **out)
{
	(void)nargs;
	struct buf b;
	capped(&b);
	to_lower_case(&b, S(0), SN(0), '_');
	return buf_out(x, "snakecase", &b, out);
}

static int f_kebabcase(struct texec *x, struct tv *const *args, size_t nargs,
		       struct tv **out)
{
	(void)nargs;
	struct buf b;
	capped(&b);
	to_lower_case(&b, S(0), SN(0), '-');
	return buf_out(x, "kebabcase", &b, out);
}

/* ---- Regular expressions ------------------------------------------------------------ */

/* At most this many matches per call (regexFindAll "" on a long string). */
#define MAX_MATCHES ((size_t)1 << 22)

/*
 * Compiles a pattern argument. must: the error as regexp.Compile gives it (the must*
 * functions return it); otherwise as regexp.MustCompile panics with it:
 *   regexp: Compile(`(`): error parsing regexp: missing closing ): `(`
 */
static int compile(struct texec *x, const struct tv *pat, bool must, struct regex **re)
{
	int rc = regex_compile_n(re, pat->u.s.ptr, pat->u.s.len, 0);
	if (!rc)
		return 0;
	if (must || rc != ERR_INVALID)
		return texec_failc(x, rc, "%s", err_msg());
	struct buf b = BUF_INIT;
	buf_adds(&b, "regexp: Compile(");
	/* strconv.CanBackquote: no control bytes but tab, no backquote, no BOM, valid UTF-8 */
	bool bq = true;
	const char *s = pat->u.s.ptr;
	size_t n = pat->u.s.len;
	for (size_t i = 0; i < n && bq;) {
		size_t w;
		uint32_t r = rune_at(s + i, n - i, &w);
		if ((w == 1 && r == RUNE_ERROR) || r == 0xFEFF || (r < ' ' && r != '\t') ||
		    r == '`' || r == 0x7f)
			bq = false;
		i += w;
	}
	if (bq) {
		buf_addch(&b, '`');
		buf_add(&b, s, n);
		buf_addch(&b, '`');
	} else {
		go_quote(&b, s, n);
	}
	buf_addf(&b, "): %s", err_msg());
	rc = texec_failc(x, rc, "%s", b.ptr);
	buf_release(&b);
	return rc;
}

static int match_fail(struct texec *x, int rc)
{
	return texec_failc(x, rc, "%s", err_msg());
}

static int do_regex_match(struct texec *x, struct tv *const *args, bool must, struct tv **out)
{
	struct regex *re;
	int rc = regex_compile_n(&re, S(0), SN(0), 0);
	if (rc == ERR_INVALID && !must) {
		*out = tv_bool(false); /* regexp.MatchString's error, swallowed */
		return 0;
	}
	if (rc)
		return texec_failc(x, rc, "%s", err_msg());
	bool m;
	rc = regex_match(re, S(1), SN(1), &m);
	regex_free(re);
	if (rc)
		return match_fail(x, rc);
	*out = tv_bool(m);
	return 0;
}

static int f_regex_match(struct texec *x, struct tv *const *args, size_t nargs,
			 struct tv **out)
{
	(void)nargs;
	return do_regex_match(x, args, false, out);
}

static int f_must_regex_match(struct texec *x, struct tv *const *args, size_t nargs,
			      struct tv **out)
{
	(void)nargs;
	return do_regex_match(x, args, true, out);
}

/*
 * Go's allMatches loop: up to max matches (all when max < 0), an empty match right after
 * the previous match skipped, the search moving one rune past an empty match. Calls fn
 * with each match's spans (nsub of them); fn returns nonzero to stop with that code.
 */
typedef int (*match_fn)(struct texec *x, void *ctx, const struct regex_span *sub);

static int all_matches(struct texec *x, const struct regex *re, const char *s, size_t n,
		       int64_t max, struct regex_span *sub, size_t nsub, match_fn fn, void *ctx)
{
	size_t pos = 0, count = 0;
	ssize_t prev_end = -1;
	while ((max < 0 || (int64_t)count < max) && pos <= n) {
		bool found;
		int rc = regex_find(re, s, n, pos, sub, nsub, &found);
		if (rc)
			return match_fail(x, rc);
		if (!found)
			break;
		bool accept = true;
		if ((size_t)sub[0].end == pos) {
			if (sub[0].start == prev_end)
				accept = false;
			if (pos < n) {
				size_t w;
				rune_at(s + pos, n - pos, &w);
				pos += w;
			} else {
				pos = n + 1;
			}
		} else {
			pos = (size_t)sub[0].end;
		}
		prev_end = sub[0].end;
		if (accept) {
			if (++count > MAX_MATCHES)
				return texec_failc(x, ERR_TOOBIG, "regexp: more than %zu matches",
						   MAX_MATCHES);
			if ((rc = fn(x, ctx, sub)))
				return rc;
		}
	}
	return 0;
}

struct find_ctx {
	const char *s;
	struct tv *list;
};

static int add_found(struct texec *x, void *ctx, const struct regex_span *sub)
{
	struct find_ctx *c = ctx;
	size_t n = (size_t)(sub[0].end - sub[0].start);
	tv_list_push(texec_arena(x), c->list, tv_strn(texec_arena(x), c->s + sub[0].start, n));
	return 0;
}

static int do_find_all(struct texec *x, struct tv *const *args, bool must, struct tv **out)
{
	struct regex *re;
	int rc = compile(x, args[0], must, &re);
	if (rc)
		return rc;
	struct find_ctx c = { S(1), tv_list(texec_arena(x), 0) };
	c.list->type = "[]string";
	int64_t max = args[2]->u.i;
	struct regex_span sub[1];
	if (max != 0)
		rc = all_matches(x, re, S(1), SN(1), max < 0 ? -1 : max, sub, 1, add_found, &c);
	regex_free(re);
	if (rc)
		return rc;
	*out = c.list;
	return 0;
}

static int f_regex_find_all(struct texec *x, struct tv *const *args, size_t nargs,
			    struct tv **out)
{
	(void)nargs;
	return do_find_all(x, args, false, out);
}

static int f_must_regex_find_all(struct texec *x, struct tv *const *args, size_t nargs,
				 struct tv **out)
{
	(void)nargs;
	return do_find_all(x, args, true, out);
}

static int do_find(struct texec *x, struct tv *const *args, bool must, struct tv **out)
{
	struct regex *re;
	int rc = compile(x, args[0], must, &re);
	if (rc)
		return rc;
	struct regex_span sub[1];
	bool found;
	rc = regex_find(re, S(1), SN(1), 0, sub, 1, &found);
	regex_free(re);
	if (rc)
		return match_fail(x, rc);
	if (!found)
		return str_out(x, "", 0, out);
	return str_out(x, S(1) + sub[0].start, (size_t)(sub[0].end - sub[0].start), out);
}

static int f_regex_find(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return do_find(x, args, false, out);
}

static int f_must_regex_find(struct texec *x, struct tv *const *args, size_t nargs,
			     struct tv **out)
{
	(void)nargs;
	return do_find(x, args, true, out);
}

/* Regexp.Expand's $name parser: a name of letters, digits and '_' (Unicode classes), or
 * one in braces; a number when all ASCII digits without a leading zero (below 1e8). */
static bool expand_name(const char *t, size_t n, const char **name, size_t *nlen, long *num,
			size_t *used)
{
	if (n == 0)
		return false;
	bool brace = t[0] == '{';
	size_t i = brace ? 1 : 0, start = i;
	while (i < n) {
		size_t w;
		uint32_t r = rune_at(t + i, n - i, &w);
		if (!sprig_is_letter(r) && !sprig_is_digit(r) && r != '_')
			break;
		i += w;
	}
	if (i == start)
		return false;
	*name = t + start;
	*nlen = i - start;
	if (brace) {
		if (i >= n || t[i] != '}')
			return false;
		i++;
	}
	long v = 0;
	for (size_t k = 0; k < *nlen; k++) {
		char c = (*name)[k];
		if (c < '0' || c > '9' || v >= 100000000) {
			v = -1;
			break;
		}
		v = v * 10 + (c - '0');
	}
	if ((*name)[0] == '0' && *nlen > 1)
		v = -1;
	*num = v;
	*used = i;
	return true;
}

static void expand(struct buf *b, const struct regex *re, const char *tmpl, size_t tn,
		   const char *src, const struct regex_span *sub, size_t nsub)
{
	size_t i = 0;
	while (i < tn) {
		const char *d = memchr(tmpl + i, '$', tn - i);
		if (!d) {
			buf_add(b, tmpl + i, tn - i);
			return;
		}
		buf_add(b, tmpl + i, (size_t)(d - tmpl) - i);
		i = (size_t)(d - tmpl) + 1;
		if (i < tn && tmpl[i] == '$') {
			buf_addch(b, '$');
			i++;
			continue;
		}
		const char *name;
		size_t nlen, used;
		long num;
		if (!expand_name(tmpl + i, tn - i, &name, &nlen, &num, &used)) {
			buf_addch(b, '$');
			continue;
		}
		i += used;
		if (num >= 0) {
			if ((size_t)num < nsub && sub[num].start >= 0)
				buf_add(b, src + sub[num].start,
					(size_t)(sub[num].end - sub[num].start));
			continue;
		}
		for (size_t g = 1; g < nsub; g++) {
			const char *gn = regex_group_name(re, g);
			if (strlen(gn) == nlen && !memcmp(gn, name, nlen) && sub[g].start >= 0) {
				buf_add(b, src + sub[g].start, (size_t)(sub[g].end - sub[g].start));
				break;
			}
		}
	}
}

/* Go's replaceAll: the text between matches copied, each match replaced (but not an empty
 * match right after the previous one), the search advancing at least one rune. */
static int replace_all(struct texec *x, const struct regex *re, const char *s, size_t n,
		       const char *repl, size_t rn, bool literal, struct buf *b)
{
	size_t nsub = literal ? 1 : regex_groups(re) + 1;
	struct regex_span *sub = arena_alloc(texec_arena(x), nsub * sizeof(*sub));
	size_t last = 0, pos = 0;
	while (pos <= n) {
		bool found;
		int rc = regex_find(re, s, n, pos, sub, nsub, &found);
		if (rc)
			return match_fail(x, rc);
		if (!found)
			break;
		buf_add(b, s + last, (size_t)sub[0].start - last);
		if ((size_t)sub[0].end > last || sub[0].start == 0) {
			if (literal)
				buf_add(b, repl, rn);
			else
				expand(b, re, repl, rn, s, sub, nsub);
		}
		last = (size_t)sub[0].end;
		size_t w = 0;
		if (pos < n)
			rune_at(s + pos, n - pos, &w);
		if (pos + w > (size_t)sub[0].end)
			pos += w;
		else if (pos + 1 > (size_t)sub[0].end)
			pos++;
		else
			pos = (size_t)sub[0].end;
		if (b->err)
			return sprig_check_size(x, "regexReplaceAll", SPRIG_STR_MAX + 1);
	}
	buf_add(b, s + last, n - last);
	return b->err ? sprig_check_size(x, "regexReplaceAll", SPRIG_STR_MAX + 1) : 0;
}

static int do_replace(struct texec *x, struct tv *const *args, bool must, bool literal,
		      struct tv **out)
{
	struct regex *re;
	int rc = compile(x, args[0], must, &re);
	if (rc)
		return rc;
	struct buf b;
	capped(&b);
	rc = replace_all(x, re, S(1), SN(1), S(2), SN(2), literal, &b);
	regex_free(re);
	if (rc) {
		buf_release(&b);
		return rc;
	}
	return buf_out(x, "regexReplaceAll", &b, out);
}

static int f_regex_replace_all(struct texec *x, struct tv *const *args, size_t nargs,
			       struct tv **out)
{
	(void)nargs;
	return do_replace(x, args, false, false, out);
}

static int f_must_regex_replace_all(struct texec *x, struct tv *const *args, size_t nargs,
				    struct tv **out)
{
	(void)nargs;
	return do_replace(x, args, true, false, out);
}

static int f_regex_replace_all_literal(struct texec *x, struct tv *const *args, size_t nargs,
				       struct tv **out)
{
	(void)nargs;
	return do_replace(x, args, false, true, out);
}

static int f_must_regex_replace_all_literal(struct texec *x, struct tv *const *args,
					    size_t nargs, struct tv **out)
{
	(void)nargs;
	return do_replace(x, args, true, true, out);
}

struct split_ctx {
	const char *s;
	size_t n;
	int64_t max;
	size_t beg, end;
	struct tv *list;
};

static int split_at(struct texec *x, void *ctx, const struct regex_span *sub)
{
	struct split_ctx *c = ctx;
	if (c->max > 0 && (int64_t)c->list->u.list.len == c->max - 1)
		return 1; /* stop: the rest is the last piece */
	c->end = (size_t)sub[0].start;
	if (sub[0].end != 0)
		tv_list_push(texec_arena(x), c->list,
			     tv_strn(texec_arena(x), c->s + c->beg, c->end - c->beg));
	c->beg = (size_t)sub[0].end;
	return 0;
}

/* Regexp.Split: n == 0 nil, an empty subject [""] (for a non-empty pattern). */
static int do_split(struct texec *x, struct tv *const *args, bool must, struct tv **out)
{
	struct regex *re;
	int rc = compile(x, args[0], must, &re);
	if (rc)
		return rc;
	int64_t max = args[2]->u.i;
	struct split_ctx c = { S(1), SN(1), max, 0, 0, tv_list(texec_arena(x), 0) };
	c.list->type = "[]string";
	if (max == 0) {
		/* nil */
	} else if (SN(0) > 0 && SN(1) == 0) {
		tv_list_push(texec_arena(x), c.list, tv_str_borrow(texec_arena(x), "", 0));
	} else {
		struct regex_span sub[1];
		rc = all_matches(x, re, S(1), SN(1), max, sub, 1, split_at, &c);
		if (rc == 1)
			rc = 0;
		if (!rc && c.end != c.n)
			tv_list_push(texec_arena(x), c.list,
				     tv_strn(texec_arena(x), c.s + c.beg, c.n - c.beg));
	}
	regex_free(re);
	if (rc)
		return rc;
	*out = c.list;
	return 0;
}

static int f_regex_split(struct texec *x, struct tv *const *args, size_t nargs,
			 struct tv **out)
{
	(void)nargs;
	return do_split(x, args, false, out);
}

static int f_must_regex_split(struct texec *x, struct tv *const *args, size_t nargs,
			      struct tv **out)
{
	(void)nargs;
	return do_split(x, args, true, out);
}

/* regexp.QuoteMeta: a backslash before each of \.+*?()|[]{}^$ */
static int f_regex_quote_meta(struct texec *x, struct tv *const *args, size_t nargs,
			      struct tv **out)
{
	(void)nargs;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < SN(0); i++) {
		char c = S(0)[i];
		if (c && strchr("\\.+*?()|[]{}^$", c))
			buf_addch(&b, '\\');
		buf_addch(&b, c);
	}
	return buf_out(x, "regexQuoteMeta", &b, out);
}

/* ---- Paths (path and path/filepath on Linux, which agree) -------------------------- */

/* path.Clean: lexical processing of . and .. and repeated slashes. */
static void clean_path(struct buf *out, const char *p, size_t n)
{
	if (n == 0) {
		buf_addch(out, '.');
		return;
	}
	bool rooted = p[0] == '/';
	size_t base = out->len;
	size_t r = 0, dotdot = 0;
	if (rooted) {
		buf_addch(out, '/');
		r = 1;
		dotdot = 1;
	}
#define W (out->len - base)
	while (r < n) {
		if (p[r] == '/') {
			r++;
		} else if (p[r] == '.' && (r + 1 == n || p[r + 1] == '/')) {
			r++;
		} else if (p[r] == '.' && p[r + 1] == '.' && (r + 2 == n || p[r + 2] == '/')) {
			r += 2;
			if (W > dotdot) {
				out->len--;
				while (W > dotdot && out->ptr[out->len] != '/')
					out->len--;
				out->ptr[out->len] = 0;
			} else if (!rooted) {
				if (W > 0)
					buf_addch(out, '/');
				buf_adds(out, "..");
				dotdot = W;
			}
		} else {
			if ((rooted && W != 1) || (!rooted && W != 0))
				buf_addch(out, '/');
			for (; r < n && p[r] != '/'; r++)
				buf_addch(out, p[r]);
		}
	}
	if (W == 0)
		buf_addch(out, '.');
#undef W
}

static int f_clean(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct buf b = BUF_INIT;
	clean_path(&b, S(0), SN(0));
	return buf_out(x, "clean", &b, out);
}

static int f_base(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const char *p = S(0);
	size_t n = SN(0);
	if (n == 0)
		return str_out(x, ".", 1, out);
	while (n > 0 && p[n - 1] == '/')
		n--;
	if (n == 0)
		return str_out(x, "/", 1, out);
	size_t i = n;
	while (i > 0 && p[i - 1] != '/')
		i--;
	return str_out(x, p + i, n - i, out);
}

static int f_dir(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const char *p = S(0);
	size_t i = SN(0);
	while (i > 0 && p[i - 1] != '/')
		i--;
	struct buf b = BUF_INIT;
	clean_path(&b, p, i);
	return buf_out(x, "dir", &b, out);
}

static int f_ext(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const char *p = S(0);
	for (size_t i = SN(0); i > 0 && p[i - 1] != '/'; i--)
		if (p[i - 1] == '.')
			return str_out(x, p + i - 1, SN(0) - i + 1, out);
	return str_out(x, "", 0, out);
}

static int f_is_abs(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)x;
	(void)nargs;
	*out = tv_bool(SN(0) > 0 && S(0)[0] == '/');
	return 0;
}

/* ---- URLs (net/url's Parse and URL.String, as urlParse and urlJoin use them) ------- */

enum url_enc { ENC_PATH = 1, ENC_PATH_SEGMENT, ENC_HOST, ENC_ZONE, ENC_USER_PASSWORD,
	       ENC_QUERY_COMPONENT, ENC_FRAGMENT };

static bool should_escape(unsigned char c, enum url_enc mode)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return false;
	if ((mode == ENC_HOST || mode == ENC_ZONE) && c && strchr("!$&'()*+,;=:[]<>\"", c))
		return false;
	switch (c) {
	case '-': case '_': case '.': case '~':
		return false;
	case '$': case '&': case '+': case ',': case '/': case ':': case ';': case '=': case '?':
	case '@':
		switch (mode) {
		case ENC_PATH: return c == '?';
		case ENC_PATH_SEGMENT: return c == '/' || c == ';' || c == ',' || c == '?';
		case ENC_USER_PASSWORD: return c == '@' || c == '/' || c == '?' || c == ':';
		case ENC_QUERY_COMPONENT: return true;
		case ENC_FRAGMENT: return false;
		default: break;
		}
		break;
	default:
		break;
	}
	if (mode == ENC_FRAGMENT && (c == '!' || c == '(' || c == ')' || c == '*'))
		return false;
	return true;
}

static void url_escape(struct buf *b, const char *s, size_t n, enum url_enc mode)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!should_escape(c, mode)) {
			buf_addch(b, (char)c);
		} else if (c == ' ' && mode == ENC_QUERY_COMPONENT) {
			buf_addch(b, '+');
		} else {
			buf_addch(b, '%');
			buf_addch(b, hex[c >> 4]);
			buf_addch(b, hex[c & 15]);
		}
	}
}

static int unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* url's unescape; on error *err holds Go's message ("invalid URL escape \"%zz\""). */
static bool url_unescape(struct buf *out, const char *s, size_t n, enum url_enc mode,
			 struct buf *err)
{
	for (size_t i = 0; i < n;) {
		char c = s[i];
		if (c == '%') {
			if (i + 2 >= n) {
				buf_adds(err, "invalid URL escape ");
				go_quote(err, s + i, n - i > 3 ? 3 : n - i);
				return false;
			}
			if (unhex(s[i + 1]) < 0 || unhex(s[i + 2]) < 0) {
				buf_adds(err, "invalid URL escape ");
				go_quote(err, s + i, 3);
				return false;
			}
			int v = unhex(s[i + 1]) << 4 | unhex(s[i + 2]);
			if (mode == ENC_HOST && unhex(s[i + 1]) < 8 && memcmp(s + i, "%25", 3)) {
				buf_adds(err, "invalid URL escape ");
				go_quote(err, s + i, 3);
				return false;
			}
			if (mode == ENC_ZONE && memcmp(s + i, "%25", 3) != 0 && v != ' ' &&
			    should_escape((unsigned char)v, ENC_HOST)) {
				buf_adds(err, "invalid URL escape ");
				go_quote(err, s + i, 3);
				return false;
			}
			buf_addch(out, (char)v);
			i += 3;
			continue;
		}
		if (c == '+') {
			buf_addch(out, mode == ENC_QUERY_COMPONENT ? ' ' : '+');
		} else {
			if ((mode == ENC_HOST || mode == ENC_ZONE) && (unsigned char)c < 0x80 &&
			    should_escape((unsigned char)c, mode)) {
				buf_adds(err, "invalid character ");
				go_quote(err, s + i, 1);
				buf_adds(err, " in host name");
				return false;
			}
			buf_addch(out, c);
		}
		i++;
	}
	return true;
}

struct url {
	struct buf scheme, opaque, user, pass, host, path, query, fragment;
	bool has_user, has_pass, force_query;
};

static void url_init(struct url *u)
{
	struct buf *bs[] = { &u->scheme, &u->opaque, &u->user, &u->pass, &u->host, &u->path,
			     &u->query, &u->fragment };
	for (size_t i = 0; i < sizeof(bs) / sizeof(bs[0]); i++)
		buf_init(bs[i], 0);
	u->has_user = u->has_pass = u->force_query = false;
}

static void url_release(struct url *u)
{
	struct buf *bs[] = { &u->scheme, &u->opaque, &u->user, &u->pass, &u->host, &u->path,
			     &u->query, &u->fragment };
	for (size_t i = 0; i < sizeof(bs) / sizeof(bs[0]); i++)
		buf_release(bs[i]);
}

static bool valid_port(const char *p, size_t n)
{
	if (n == 0)
		return true;
	if (p[0] != ':')
		return false;
	for (size_t i = 1; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

static const char *last_of(const char *s, size_t n, char c)
{
	for (size_t i = n; i > 0; i--)
		if (s[i - 1] == c)
			return s + i - 1;
	return NULL;
}

static bool parse_host(struct url *u, const char *h, size_t n, struct buf *err)
{
	if (n > 0 && h[0] == '[') {
		const char *rb = last_of(h, n, ']');
		if (!rb) {
			buf_adds(err, "missing ']' in host");
			return false;
		}
		size_t i = (size_t)(rb - h);
		if (!valid_port(rb + 1, n - i - 1)) {
			buf_adds(err, "invalid port ");
			go_quote(err, rb + 1, n - i - 1);
			buf_adds(err, " after host");
			return false;
		}
		const char *zone = memmem(h, i, "%25", 3);
		if (zone) {
			size_t z = (size_t)(zone - h);
			return url_unescape(&u->host, h, z, ENC_HOST, err) &&
			       url_unescape(&u->host, h + z, i - z, ENC_ZONE, err) &&
			       url_unescape(&u->host, h + i, n - i, ENC_HOST, err);
		}
	} else {
		const char *colon = last_of(h, n, ':');
		if (colon && !valid_port(colon, n - (size_t)(colon - h))) {
			buf_adds(err, "invalid port ");
			go_quote(err, colon, n - (size_t)(colon - h));
			buf_adds(err, " after host");
			return false;
		}
	}
	return url_unescape(&u->host, h, n, ENC_HOST, err);
}

static bool valid_userinfo(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			continue;
		if (c && strchr("-._:~!$&'()*+,;=%@", c))
			continue;
		return false; /* Go ranges over runes: any non-ASCII rune fails too */
	}
	return true;
}

static bool parse_authority(struct url *u, const char *a, size_t n, struct buf *err)
{
	const char *at = last_of(a, n, '@');
	size_t hs = at ? (size_t)(at - a) + 1 : 0;
	if (!parse_host(u, a + hs, n - hs, err))
		return false;
	if (!at)
		return true;
	size_t un = (size_t)(at - a);
	if (!valid_userinfo(a, un)) {
		buf_adds(err, "net/url: invalid userinfo");
		return false;
	}
	u->has_user = true;
	const char *colon = memchr(a, ':', un);
	if (!colon)
		return url_unescape(&u->user, a, un, ENC_USER_PASSWORD, err);
	u->has_pass = true;
	size_t c = (size_t)(colon - a);
	return url_unescape(&u->user, a, c, ENC_USER_PASSWORD, err) &&
	       url_unescape(&u->pass, a + c + 1, un - c - 1, ENC_USER_PASSWORD, err);
}

/* net/url's parse(rawURL, viaRequest=false) of the text before '#'. */
static bool url_parse_main(struct url *u, const char *s, size_t n, struct buf *err)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			buf_adds(err, "net/url: invalid control character in URL");
			return false;
		}
	if (n == 1 && s[0] == '*') {
		buf_addch(&u->path, '*');
		return true;
	}
	/* getScheme */
	const char *rest = s;
	size_t rn = n;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			continue;
		if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
			if (i == 0)
				break;
			continue;
		}
		if (c == ':') {
			if (i == 0) {
				buf_adds(err, "missing protocol scheme");
				return false;
			}
			for (size_t k = 0; k < i; k++)
				buf_addch(&u->scheme,
					  (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] + 32 : s[k]));
			rest = s + i + 1;
			rn = n - i - 1;
		}
		break;
	}
	size_t nq = 0;
	for (size_t i = 0; i < rn; i++)
		nq += rest[i] == '?';
	if (rn > 0 && rest[rn - 1] == '?' && nq == 1) {
		u->force_query = true;
		rn--;
	} else {
		const char *q = memchr(rest, '?', rn);
		if (q) {
			buf_add(&u->query, q + 1, rn - (size_t)(q - rest) - 1);
			rn = (size_t)(q - rest);
		}
	}
	if (rn == 0 || rest[0] != '/') {
		if (u->scheme.len) {
			buf_add(&u->opaque, rest, rn);
			return true;
		}
		const char *slash = memchr(rest, '/', rn);
		size_t seg = slash ? (size_t)(slash - rest) : rn;
		if (memchr(rest, ':', seg)) {
			buf_adds(err, "first path segment in URL cannot contain colon");
			return false;
		}
	}
	bool triple = rn >= 3 && memcmp(rest, "///", 3) == 0;
	if ((u->scheme.len || !triple) && rn >= 2 && rest[0] == '/' && rest[1] == '/') {
		const char *auth = rest + 2;
		size_t an = rn - 2;
		const char *slash = memchr(auth, '/', an);
		size_t alen = slash ? (size_t)(slash - auth) : an;
		if (!parse_authority(u, auth, alen, err))
			return false;
		rest = auth + alen;
		rn = an - alen;
	}
	return url_unescape(&u->path, rest, rn, ENC_PATH, err);
}

/* url.Parse; on error, err holds url.Error's text: parse "URL": message. */
static bool url_parse(struct url *u, const char *s, size_t n, struct buf *err)
{
	const char *hash = memchr(s, '#', n);
	size_t un = hash ? (size_t)(hash - s) : n;
	struct buf msg = BUF_INIT;
	bool ok = url_parse_main(u, s, un, &msg);
	size_t quoted = un;
	if (ok && hash && n - un - 1 > 0) {
		ok = url_unescape(&u->fragment, hash + 1, n - un - 1, ENC_FRAGMENT, &msg);
		quoted = n;
	}
	if (!ok) {
		buf_adds(err, "parse ");
		go_quote(err, s, quoted);
		buf_adds(err, ": ");
		buf_add(err, msg.ptr, msg.len);
	}
	buf_release(&msg);
	return ok;
}

static void userinfo_string(struct buf *b, const struct url *u)
{
	url_escape(b, u->user.ptr, u->user.len, ENC_USER_PASSWORD);
	if (u->has_pass) {
		buf_addch(b, ':');
		url_escape(b, u->pass.ptr, u->pass.len, ENC_USER_PASSWORD);
	}
}

/* URL.String() for a URL built from parts (no RawPath, no RawFragment). */
static void url_string(struct buf *b, const struct url *u)
{
	if (u->scheme.len) {
		buf_add(b, u->scheme.ptr, u->scheme.len);
		buf_addch(b, ':');
	}
	if (u->opaque.len) {
		buf_add(b, u->opaque.ptr, u->opaque.len);
	} else {
		if (u->scheme.len || u->host.len || u->has_user) {
			if (u->host.len || u->path.len || u->has_user)
				buf_adds(b, "//");
			if (u->has_user) {
				userinfo_string(b, u);
				buf_addch(b, '@');
			}
			url_escape(b, u->host.ptr, u->host.len, ENC_HOST);
		}
		struct buf path = BUF_INIT;
		if (u->path.len == 1 && u->path.ptr[0] == '*')
			buf_addch(&path, '*');
		else
			url_escape(&path, u->path.ptr, u->path.len, ENC_PATH);
		if (path.len && path.ptr[0] != '/' && u->host.len)
			buf_addch(b, '/');
		if (b->len == 0) {
			const char *slash = memchr(path.ptr, '/', path.len);
			size_t seg = slash ? (size_t)(slash - path.ptr) : path.len;
			if (memchr(path.ptr, ':', seg))
				buf_adds(b, "./");
		}
		buf_add(b, path.ptr, path.len);
		buf_release(&path);
	}
	if (u->force_query || u->query.len) {
		buf_addch(b, '?');
		buf_add(b, u->query.ptr, u->query.len);
	}
	if (u->fragment.len) {
		buf_addch(b, '#');
		url_escape(b, u->fragment.ptr, u->fragment.len, ENC_FRAGMENT);
	}
}

static void set_str(struct texec *x, struct tv *m, const char *k, const struct buf *b)
{
	tv_map_set(texec_arena(x), m, k, tv_strn(texec_arena(x), b->ptr, b->len));
}

static int f_url_parse(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct url u;
	url_init(&u);
	struct buf err = BUF_INIT;
	if (!url_parse(&u, S(0), SN(0), &err)) {
		int rc = texec_fail(x, "unable to parse url: %s", err.ptr);
		buf_release(&err);
		url_release(&u);
		return rc;
	}
	buf_release(&err);
	struct tv *m = tv_map_new(texec_arena(x));
	m->type = "map[string]interface {}";
	set_str(x, m, "scheme", &u.scheme);
	set_str(x, m, "host", &u.host);
	/* Hostname(): the host without a valid :port, and without IPv6 brackets */
	struct buf hn = BUF_INIT;
	const char *h = u.host.ptr;
	size_t hl = u.host.len;
	const char *colon = last_of(h, hl, ':');
	if (colon && valid_port(colon, hl - (size_t)(colon - h)))
		hl = (size_t)(colon - h);
	if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']')
		buf_add(&hn, h + 1, hl - 2);
	else
		buf_add(&hn, h, hl);
	set_str(x, m, "hostname", &hn);
	buf_release(&hn);
	set_str(x, m, "path", &u.path);
	set_str(x, m, "query", &u.query);
	set_str(x, m, "opaque", &u.opaque);
	set_str(x, m, "fragment", &u.fragment);
	struct buf ui = BUF_INIT;
	if (u.has_user)
		userinfo_string(&ui, &u);
	set_str(x, m, "userinfo", &ui);
	buf_release(&ui);
	url_release(&u);
	*out = m;
	return 0;
}

/* sprig's dictGetOrEmpty: a missing key is "", a non-string value a panic. */
static int dict_string(struct texec *x, const struct tv *d, const char *key, struct buf *out)
{
	const struct tv *v = d && d->kind == TV_MAP ? tv_map_get(d, key) : NULL;
	if (!v)
		return 0;
	if (tv_is_nil(v))
		return texec_fail(x, "%s", SPRIG_NIL_DEREF);
	if (v->kind != TV_STRING)
		return texec_fail(x, "unable to parse %s key, must be of type string, but %s found",
				  key, tv_kind_name(v));
	buf_add(out, v->u.s.ptr, v->u.s.len);
	return 0;
}

static int f_url_join(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const struct tv *d = args[0];
	struct url u;
	url_init(&u);
	struct buf ui = BUF_INIT, b = BUF_INIT;
	int rc = 0;
	static const char *const keys[] = { "scheme", "host", "path", "query", "opaque",
					    "fragment", "userinfo" };
	struct buf *dest[] = { &u.scheme, &u.host, &u.path, &u.query, &u.opaque, &u.fragment, &ui };
	for (size_t i = 0; i < 7; i++)
		if ((rc = dict_string(x, d, keys[i], dest[i])))
			goto done;
	if (ui.len) {
		struct url t;
		url_init(&t);
		struct buf raw = BUF_INIT, err = BUF_INIT;
		buf_adds(&raw, "proto://");
		buf_add(&raw, ui.ptr, ui.len);
		buf_adds(&raw, "@host");
		if (!url_parse(&t, raw.ptr, raw.len, &err)) {
			rc = texec_fail(x, "unable to parse userinfo in dict: %s", err.ptr);
		} else {
			u.has_user = t.has_user;
			u.has_pass = t.has_pass;
			buf_add(&u.user, t.user.ptr, t.user.len);
			buf_add(&u.pass, t.pass.ptr, t.pass.len);
		}
		buf_release(&raw);
		buf_release(&err);
		url_release(&t);
		if (rc)
			goto done;
	}
	url_string(&b, &u);
	rc = str_out(x, b.ptr, b.len, out);
done:
	buf_release(&ui);
	buf_release(&b);
	url_release(&u);
	return rc;
}

/* sprig's "hello" (in no family of sprig's own; here so Helm's map has it). */
static int f_hello(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)args;
	(void)nargs;
	return str_out(x, "Hello!", 6, out);
}

/* ---- The table ------------------------------------------------------------------------- */

static const struct tfunc funcs[] = {
	{"hello", f_hello, "", "s"},
	{"abbrev", f_abbrev, "is", "s"},
	{"abbrevboth", f_abbrevboth, "iis", "s"},
	{"trunc", f_trunc, "is", "s"},
	{"trim", f_trim, "s", "s"},
	{"upper", f_upper, "s", "s"},
	{"lower", f_lower, "s", "s"},
	{"title", f_title, "s", "s"},
	{"untitle", f_untitle, "s", "s"},
	{"substr", f_substr, "iis", "se"},
	{"repeat", f_repeat, "is", "se"},
	{"trimall", f_trim_all, "ss", "s"},
	{"trimAll", f_trim_all, "ss", "s"},
	{"trimSuffix", f_trim_suffix, "ss", "s"},
	{"trimPrefix", f_trim_prefix, "ss", "s"},
	{"nospace", f_nospace, "s", "s"},
	{"initials", f_initials, "s", "s"},
	{"swapcase", f_swapcase, "s", "s"},
	{"shuffle", f_shuffle, "s", "s"},
	{"snakecase", f_snakecase, "s", "s"},
	{"camelcase", f_camelcase, "s", "s"},
	{"kebabcase", f_kebabcase, "s", "s"},
	{"wrap", f_wrap, "is", "s"},
	{"wrapWith", f_wrap_with, "iss", "s"},
	{"contains", f_contains, "ss", "b"},
	{"hasPrefix", f_has_prefix, "ss", "b"},
	{"hasSuffix", f_has_suffix, "ss", "b"},
	{"quote", f_quote, "a*", "s"},
	{"squote", f_squote, "a*", "s"},
	{"cat", f_cat, "a*", "s"},
	{"indent", f_indent, "is", "se"},
	{"nindent", f_nindent, "is", "se"},
	{"replace", f_replace, "sss", "se"},
	{"plural", f_plural, "ssi", "s"},
	{"split", f_split, "ss", "a"},
	{"splitList", f_split_list, "ss", "S"},
	{"splitn", f_splitn, "sis", "a"},
	{"base", f_base, "s", "s"},
	{"dir", f_dir, "s", "s"},
	{"clean", f_clean, "s", "s"},
	{"ext", f_ext, "s", "s"},
	{"isAbs", f_is_abs, "s", "b"},
	{"osBase", f_base, "s", "s"},
	{"osClean", f_clean, "s", "s"},
	{"osDir", f_dir, "s", "s"},
	{"osExt", f_ext, "s", "s"},
	{"osIsAbs", f_is_abs, "s", "b"},
	{"regexMatch", f_regex_match, "ss", "be"},
	{"mustRegexMatch", f_must_regex_match, "ss", "be"},
	{"regexFindAll", f_regex_find_all, "ssi", "Se"},
	{"mustRegexFindAll", f_must_regex_find_all, "ssi", "Se"},
	{"regexFind", f_regex_find, "ss", "se"},
	{"mustRegexFind", f_must_regex_find, "ss", "se"},
	{"regexReplaceAll", f_regex_replace_all, "sss", "se"},
	{"mustRegexReplaceAll", f_must_regex_replace_all, "sss", "se"},
	{"regexReplaceAllLiteral", f_regex_replace_all_literal, "sss", "se"},
	{"mustRegexReplaceAllLiteral", f_must_regex_replace_all_literal, "sss", "se"},
	{"regexSplit", f_regex_split, "ssi", "Se"},
	{"mustRegexSplit", f_must_regex_split, "ssi", "Se"},
	{"regexQuoteMeta", f_regex_quote_meta, "s", "s"},
	{"urlParse", f_url_parse, "s", "me"},
	{"urlJoin", f_url_join, "m", "se"},
};

const struct tfunc_table tfuncs_sprig_strings = {funcs, sizeof(funcs) / sizeof(funcs[0])};

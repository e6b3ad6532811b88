/*
 * Functions that are easy to misuse with untrusted input. Included by every .c file under
 * src/, as its last include (after system and project headers, so no declaration is hit by
 * the macros), so a use is a compile error; scripts/check-style checks that it is there.
 * Use buf_addf, snprintf, strtol with end checks, strchr/strcspn loops, gmtime_r, or the
 * helpers in util/ instead. The list follows git's banned.h, plus atoi and its kin.
 */
#ifndef TIDE_UTIL_BANNED_H
#define TIDE_UTIL_BANNED_H

#define BANNED(func) sorry_##func##_is_banned

/* Unbounded or silently truncating string copies: use buf_*, snprintf or memcpy with a length. */
#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)

/* Hidden state, and they skip empty fields: split with strchr or strcspn. */
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef strtok_r
#define strtok_r(x, y, z) BANNED(strtok_r)

/* Static result buffers (not thread-safe): use gmtime_r or util/clock.h. */
#undef gmtime
#define gmtime(x) BANNED(gmtime)
#undef localtime
#define localtime(x) BANNED(localtime)
#undef ctime
#define ctime(x) BANNED(ctime)
#undef ctime_r
#define ctime_r(x, y) BANNED(ctime_r)
#undef asctime
#define asctime(x) BANNED(asctime)
#undef asctime_r
#define asctime_r(x, y) BANNED(asctime_r)

/* No error reporting: use strtol/strtoul with end and range checks. */
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef atoll
#define atoll(x) BANNED(atoll)

#undef gets
#define gets(x) BANNED(gets)

#endif

/*
 * Functions that are easy to misuse with untrusted input. Included by every module's
 * sources (after system headers) so a use is a compile error; use buf_addf, snprintf,
 * strtol with end checks, or the helpers in util/ instead.
 */
#ifndef TIDE_UTIL_BANNED_H
#define TIDE_UTIL_BANNED_H

#define BANNED(func) sorry_##func##_is_banned

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef gets
#define gets(x) BANNED(gets)

#endif

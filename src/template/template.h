/*
 * template: the Go text/template engine and its function library (sprig's, and Helm's
 * include/tpl/required/toYaml), which the helm engine renders charts with. It sits on util
 * and doc only, so it can be unit-tested and fuzzed alone, and it must never reach the
 * cluster or the network: a template is untrusted input, and its output, recursion depth
 * and run time are capped.
 *
 * NEEDSWORK: the module holds no code yet; it has its row in the Makefile's module table
 * (template: util doc) and its place in docs/architecture.md so that helm and notify can
 * be built on it without changing the graph.
 */
#ifndef TIDE_TEMPLATE_TEMPLATE_H
#define TIDE_TEMPLATE_TEMPLATE_H

#endif

/*
 * notify: Flux's notification API (notification.toolkit.fluxcd.io): Providers (Slack,
 * Microsoft Teams, generic webhooks, Git commit statuses ...), Alerts that route the
 * controllers' events to them, and Receivers that turn incoming webhooks into reconcile
 * requests. It uses template for message bodies and net to post them; it does not use the
 * kube client (the notification controller hands it the events and objects it needs), so
 * a provider can be tested against a local HTTP server alone.
 *
 * NEEDSWORK: the module holds no code yet; it has its row in the Makefile's module table
 * (notify: util doc template net) and its place in docs/architecture.md.
 */
#ifndef TIDE_NOTIFY_NOTIFY_H
#define TIDE_NOTIFY_NOTIFY_H

#endif

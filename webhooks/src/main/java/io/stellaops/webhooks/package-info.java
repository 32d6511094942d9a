/**
 * The admission server. Mutating handlers stamp identities from the authenticated request;
 * validating handlers enforce what CRD schemas cannot express. Every handler collects all
 * violations of a request and answers once, with field paths.
 */
package io.stellaops.webhooks;

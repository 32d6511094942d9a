/**
 * The supply-chain domain: digests, canonical JSON, DSSE envelopes of in-toto Statements, and the
 * keys that sign them. Knows nothing of Kubernetes, so the CLI can verify evidence offline with the
 * same code the operator signs it with.
 */
package io.stellaops.supplychain;

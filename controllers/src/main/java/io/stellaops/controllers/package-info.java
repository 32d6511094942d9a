/**
 * Reconcilers for the stellaops.io kinds, one package per kind. A reconciler reads like a table of
 * contents; decisions live in pure classes beside it that are unit-tested without a cluster.
 */
package io.stellaops.controllers;

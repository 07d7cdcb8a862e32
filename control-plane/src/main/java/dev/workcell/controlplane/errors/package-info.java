/** What a client is told when a call fails, shared by the REST and gRPC answers and the HTTP layer. */
package dev.workcell.controlplane.errors;

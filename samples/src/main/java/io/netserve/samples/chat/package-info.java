/**
 * A line-based text protocol built on core's handlers: a chat room
 * ({@link io.netserve.samples.chat.ChatProtocol}) with nicks, broadcast to a {@code ChannelGroup},
 * an idle policy that warns before it closes, and a line-length limit.
 */
package io.netserve.samples.chat;

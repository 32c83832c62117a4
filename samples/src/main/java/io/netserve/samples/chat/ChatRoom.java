package io.netserve.samples.chat;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The members of one chat room, shared by all its connections: who holds which nick, and a
 * {@link ChannelGroup} to broadcast to. A closed channel leaves the group by itself.
 *
 * <p>A broadcast skips members that are not writable (they stopped reading): they miss lines
 * instead of growing the server's memory, and core's write-stall timeout closes them if they never
 * read again. Thread-safe: members live on different event loops.
 */
public final class ChatRoom {

    private final ChannelGroup members = new DefaultChannelGroup("chat", ImmediateEventExecutor.INSTANCE);
    private final ConcurrentMap<String, Member> nicks = new ConcurrentHashMap<>();

    private record Member(String nick, Channel channel) {
    }

    /**
     * Claims {@code nick} for {@code channel}; false if another member holds it. Nicks are unique
     * ignoring case; a member may claim its own nick in another case.
     */
    boolean claim(String nick, Channel channel) {
        Member mine = new Member(nick, channel);
        return nicks.compute(key(nick), (k, held) -> held == null || held.channel() == channel ? mine : held) == mine;
    }

    /** Gives {@code nick} up, if {@code channel} holds it. */
    void release(String nick, Channel channel) {
        nicks.computeIfPresent(key(nick), (k, m) -> m.channel() == channel ? null : m);
    }

    /** Adds {@code channel} to the members broadcasts reach. */
    void join(Channel channel) {
        members.add(channel);
    }

    /** Sends {@code line} to every writable member. */
    void broadcast(String line) {
        members.writeAndFlush(line, Channel::isWritable);
    }

    /** Sends {@code line} to every writable member but {@code except}. */
    void broadcastExcept(Channel except, String line) {
        members.writeAndFlush(line, ch -> ch != except && ch.isWritable());
    }

    /** The nicks held now, sorted case-insensitively. */
    public List<String> nicks() {
        return nicks.values().stream().map(Member::nick).sorted(String.CASE_INSENSITIVE_ORDER).toList();
    }

    private static String key(String nick) {
        return nick.toLowerCase(Locale.ROOT);
    }
}

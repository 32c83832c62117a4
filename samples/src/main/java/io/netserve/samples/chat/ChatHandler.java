package io.netserve.samples.chat;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.regex.Pattern;

/**
 * One member's side of the chat: turns each line into a command or a message for the
 * {@link ChatRoom}, and answers an over-long line with an error line before closing. (Idle members
 * are the business of {@link ChatIdlePolicy}.)
 *
 * <pre>{@code
 * pipeline.addLast(new LineBasedFrameDecoder(maxLine, true, true), new StringDecoder(UTF_8),
 *         new LineEncoder(LineSeparator.UNIX, UTF_8), new ChatHandler(room, maxLine));
 * }</pre>
 *
 * <p>Lines the server sends: {@code <nick> text} (a message), {@code * ...} (a notice),
 * {@code ! ...} (an error). Consumes {@link TooLongFrameException}; passes other exceptions on. Not
 * sharable: it holds the member's nick.
 */
final class ChatHandler extends SimpleChannelInboundHandler<String> {

    private static final Logger log = LoggerFactory.getLogger(ChatHandler.class);
    private static final Pattern NICK = Pattern.compile("[A-Za-z0-9_-]{1,16}");

    private final ChatRoom room;
    private final int maxLine;
    private String nick;

    ChatHandler(ChatRoom room, int maxLine) {
        this.room = room;
        this.maxLine = maxLine;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
        if (line.isBlank()) {
            return;
        }
        if (!line.startsWith("/")) {
            say(ctx, line);
            return;
        }
        String[] words = line.trim().split("\\s+", 2);
        switch (words[0]) {
            case "/nick" -> rename(ctx, words.length > 1 ? words[1].trim() : "");
            case "/who" -> ctx.writeAndFlush("* online: " + String.join(", ", room.nicks()));
            case "/quit" -> ctx.writeAndFlush("* bye").addListener(ChannelFutureListener.CLOSE);
            default -> ctx.writeAndFlush("! unknown command " + words[0] + "; try /nick NAME, /who, /quit");
        }
    }

    private void say(ChannelHandlerContext ctx, String text) {
        if (nick == null) {
            ctx.writeAndFlush("! choose a nick first: /nick NAME");
        } else {
            room.broadcast("<" + nick + "> " + text);
        }
    }

    private void rename(ChannelHandlerContext ctx, String wanted) {
        if (!NICK.matcher(wanted).matches()) {
            ctx.writeAndFlush("! a nick is 1 to 16 letters, digits, '-' or '_'");
        } else if (!room.claim(wanted, ctx.channel())) {
            ctx.writeAndFlush("! nick " + wanted + " is taken");
        } else {
            String old = nick;
            nick = wanted;
            if (old == null) {
                room.join(ctx.channel());
                room.broadcastExcept(ctx.channel(), "* " + wanted + " joined");
                log.info("{} joined from {}", wanted, ctx.channel().remoteAddress());
            } else if (!old.equals(wanted)) {
                if (!old.equalsIgnoreCase(wanted)) {
                    room.release(old, ctx.channel());
                }
                room.broadcastExcept(ctx.channel(), "* " + old + " is now " + wanted);
            }
            ctx.writeAndFlush("* you are " + wanted);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (nick != null) {
            room.release(nick, ctx.channel());
            room.broadcastExcept(ctx.channel(), "* " + nick + " left");
            log.info("{} left", nick);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof TooLongFrameException)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        log.info("closing connection {} ({}): line longer than {} bytes", ctx.channel().remoteAddress(), nick, maxLine);
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush("! line too long: at most " + maxLine + " bytes; closing")
                .addListener(ChannelFutureListener.CLOSE);
    }
}

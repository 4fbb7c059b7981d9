package org.mlskit.ds.mailbox;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.javalin.websocket.WsConfig;

import org.mlskit.ds.api.DsError;
import org.mlskit.ds.auth.Accounts;
import org.mlskit.ds.auth.Principal;

/**
 * {@code GET /v1/mailbox/ws?token=T&after=N}: the mailbox pushed live. The server sends
 * {@code {"type":"entries","entries":[{seq,message}...]}} frames (first everything after N, then
 * new entries as they are accepted) and {@code {"type":"live","seq":S}} once caught up; the
 * client may send {@code {"type":"ack","upTo":S}}. With {@code hold=1} the server sends nothing
 * until the client sends {@code {"type":"start"}}: for clients that may misread frames arriving
 * together with the upgrade's 101 answer (Java's java.net.http WebSocket did, now and then).
 */
public final class MailboxSocket {
    /** Close code for a missing or bad token. */
    public static final int UNAUTHENTICATED = 4001;

    private final Feed feed;
    private final Mailbox mailbox;

    public MailboxSocket(Feed feed, Mailbox mailbox) {
        this.feed = feed;
        this.mailbox = mailbox;
    }

    public void configure(WsConfig ws, Accounts accounts) {
        ws.onConnect(ctx -> {
            Principal p;
            long after;
            try {
                p = accounts.authenticate(ctx.queryParam("token"));
                String a = ctx.queryParam("after");
                after = a == null ? 0 : Long.parseLong(a);
                if (after < 0) {
                    throw new NumberFormatException();
                }
            } catch (DsError e) {
                ctx.closeSession(UNAUTHENTICATED, e.getMessage());
                return;
            } catch (NumberFormatException e) {
                ctx.closeSession(4000, "after must be a sequence number >= 0");
                return;
            }
            ctx.attribute("principal", p);
            feed.subscribe(p.dev(), ctx.session, after, "1".equals(ctx.queryParam("hold")));
        });
        ws.onMessage(ctx -> {
            Principal p = ctx.attribute("principal");
            if (p == null) {
                return;
            }
            try {
                JsonObject o = JsonParser.parseString(ctx.message()).getAsJsonObject();
                String type = o.get("type").getAsString();
                if ("ack".equals(type)) {
                    mailbox.ack(p, o.get("upTo").getAsLong());
                } else if ("start".equals(type)) {
                    feed.start(ctx.session);
                }
            } catch (RuntimeException e) {
                ctx.closeSession(4000, "expected {\"type\":\"ack\",\"upTo\":N} or {\"type\":\"start\"}");
            }
        });
        ws.onClose(ctx -> feed.unsubscribe(ctx.session));
        ws.onError(ctx -> feed.unsubscribe(ctx.session));
    }
}

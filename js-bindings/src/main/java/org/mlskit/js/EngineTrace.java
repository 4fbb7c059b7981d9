package org.mlskit.js;

import java.util.ArrayList;
import java.util.List;

import org.mlskit.client.ClientConfig;
import org.mlskit.client.ClientEngine;
import org.mlskit.client.ClientEvent;
import org.mlskit.client.DsCall;
import org.mlskit.client.DsReply;
import org.mlskit.client.Entry;
import org.mlskit.client.Output;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Identity;

/**
 * Drives the client engine (mls-core {@code org.mlskit.client}) through sign-up, a new group and
 * one message with scripted DS answers, in the TeaVM builds: proof that the engine runs there, and
 * that it asks for the same calls as on the JVM. Each step is {@code name:CALLS;EVENTS;PERSISTED}.
 */
final class EngineTrace {
    private EngineTrace() {
    }

    static String run() {
        WebRandomSource random = new WebRandomSource();
        Identity id = Identity.generate(CipherSuite.of(1), Credential.basic("trace/device".getBytes()), random);
        ClientEngine e = new ClientEngine("trace", "device", id, ClientConfig.DEFAULT.withKeyPackages(2, 1), random);
        StringBuilder trace = new StringBuilder();
        long now = System.currentTimeMillis();
        Output o = step(trace, "start", e.start(now));
        o = step(trace, "challenge", e.reply(now, DsReply.data(o.calls.get(0).id, new byte[32])));
        o = step(trace, "token", e.reply(now, DsReply.token(o.calls.get(0).id, "token", now / 1000 + 3600)));
        DsCall upload = o.calls.get(0);
        step(trace, "uploaded", e.reply(now, DsReply.count(upload.id, java.util.Collections.singletonMap(1, 2), false)));
        step(trace, "live", e.live(now, 0));
        o = step(trace, "create", e.createGroup(now));
        o = step(trace, "created", e.reply(now, DsReply.accepted(o.calls.get(0).id, 0, 0)));
        byte[] group = e.groupIds().get(0);
        o = step(trace, "send", e.send(now, group, "hello".getBytes()));
        DsCall send = o.calls.get(0);
        step(trace, "sent", e.reply(now, DsReply.accepted(send.id, 0, 1)));
        List<Entry> echo = new ArrayList<>();
        echo.add(new Entry(1, send.messages.get(0)));
        step(trace, "echo", e.entries(now, echo));
        trace.append("cursor:").append(e.cursor()).append(" members:").append(e.members(group));
        return trace.toString();
    }

    private static Output step(StringBuilder trace, String name, Output o) {
        trace.append(name).append(':');
        for (int i = 0; i < o.calls.size(); i++) {
            trace.append(i == 0 ? "" : ",").append(o.calls.get(i).kind);
        }
        trace.append(';');
        for (int i = 0; i < o.events.size(); i++) {
            ClientEvent ev = o.events.get(i);
            trace.append(i == 0 ? "" : ",").append(ev.kind);
        }
        trace.append(';').append(o.persist.size()).append(' ');
        return o;
    }
}

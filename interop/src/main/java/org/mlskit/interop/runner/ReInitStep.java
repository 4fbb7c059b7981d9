package org.mlskit.interop.runner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mlskit.interop.proto.*;

import com.google.protobuf.ByteString;

/**
 * The "reinit" action (RFC 9420 §11.2) as the working group's runner performs it: a proposer (or
 * an external signer's earlier proposal) asks for the ReInit, the committer commits it by
 * reference, every other member handles the commit and returns a KeyPackage for the new group,
 * the welcomer creates the new group with everyone else's KeyPackages, and they join its Welcome.
 */
final class ReInitStep {
    private final ScriptRun run;

    ReInitStep(ScriptRun run) {
        this.run = run;
    }

    void run(Step s) {
        String proposer = s.string("proposer");
        String committer = s.string("committer");
        String welcomer = s.string("welcomer");
        Set<String> notCommitter = new LinkedHashSet<>();
        Set<String> notWelcomer = new LinkedHashSet<>();
        notCommitter.add(welcomer);
        notWelcomer.add(committer);
        for (String m : s.strings("members")) {
            notCommitter.add(m);
            notWelcomer.add(m);
        }
        if (proposer != null && !proposer.isEmpty()) {
            notCommitter.add(proposer);
            notWelcomer.add(proposer);
        }
        notCommitter.remove(committer);
        notWelcomer.remove(welcomer);

        ByteString proposal;
        if (proposer != null && !proposer.isEmpty()) {
            ByteString groupId = run.reinitGroupId(s.flag("changeGroupID"));
            if (s.flag("changeCipherSuite")) {
                run.changeCipherSuite();
            }
            proposal = run.clientOf(proposer).rpc().reInitProposal(ReInitProposalRequest.newBuilder()
                    .setStateId(run.stateOf(proposer)).setCipherSuite(run.suite()).setGroupId(groupId)
                    .addAllExtensions(Step.extensions(s.get("extensions"))).build()).getProposal();
        } else {
            proposal = run.proposalAt(s.integer("externalReinitProposal"));
        }

        // The committer commits the ReInit and moves to the old group's last epoch.
        CommitResponse commit = run.clientOf(committer).rpc().reInitCommit(CommitRequest.newBuilder()
                .setStateId(run.stateOf(committer)).addByReference(proposal).build());
        HandleReInitCommitResponse pending = run.clientOf(committer).rpc().handlePendingReInitCommit(
                HandlePendingCommitRequest.newBuilder().setStateId(run.stateOf(committer)).build());
        ByteString auth = pending.getEpochAuthenticator();
        Map<String, Integer> reinitIds = new HashMap<>();
        Map<String, ByteString> keyPackages = new HashMap<>();
        reinitIds.put(committer, pending.getReinitId());
        keyPackages.put(committer, pending.getKeyPackage());

        for (String m : notCommitter) {
            HandleReInitCommitResponse r = run.clientOf(m).rpc().handleReInitCommit(HandleCommitRequest.newBuilder()
                    .setStateId(run.stateOf(m)).addProposal(proposal).setCommit(commit.getCommit()).build());
            ScriptRun.checkAgree(auth, r.getEpochAuthenticator(), "member " + m);
            reinitIds.put(m, r.getReinitId());
            keyPackages.put(m, r.getKeyPackage());
        }

        // The welcomer creates the new group; everyone else joins it.
        boolean externalTree = s.flag("externalTree");
        List<ByteString> others = new ArrayList<>();
        for (String m : notWelcomer) {
            others.add(keyPackages.get(m));
        }
        CreateSubgroupResponse created = run.clientOf(welcomer).rpc().reInitWelcome(ReInitWelcomeRequest.newBuilder()
                .setReinitId(reinitIds.get(welcomer)).addAllKeyPackage(others).setForcePath(s.flag("forcePath"))
                .setExternalTree(externalTree).build());
        if (externalTree && created.getRatchetTree().isEmpty()) {
            throw new IllegalStateException("external_tree was asked but the new group came without a ratchet tree");
        }
        run.setState(welcomer, created.getStateId());
        ByteString newAuth = created.getEpochAuthenticator();
        for (String m : notWelcomer) {
            JoinGroupResponse r = run.clientOf(m).rpc().handleReInitWelcome(HandleReInitWelcomeRequest.newBuilder()
                    .setReinitId(reinitIds.get(m)).setWelcome(created.getWelcome())
                    .setRatchetTree(externalTree ? created.getRatchetTree() : ByteString.EMPTY).build());
            ScriptRun.checkAgree(newAuth, r.getEpochAuthenticator(), "member " + m);
            run.setState(m, r.getStateId());
        }
        Set<String> all = new LinkedHashSet<>(notWelcomer);
        all.add(welcomer);
        run.settled(all, newAuth);
    }
}

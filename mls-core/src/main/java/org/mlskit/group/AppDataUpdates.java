package org.mlskit.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.mlskit.keys.AppDataDictionary;
import org.mlskit.keys.Extension;
import org.mlskit.keys.ExtensionType;
import org.mlskit.keys.RequiredCapabilities;

/**
 * The AppDataUpdate rules of draft-ietf-mls-extensions ("Updating Application Data in the
 * GroupContext"): per component, either one removal of an entry that exists or one or more
 * updates that the application's logic turns into the new data; applied after every other
 * proposal, to the extensions a GroupContextExtensions proposal of the same commit left.
 */
final class AppDataUpdates {
    private AppDataUpdates() {
    }

    /** Checks of one AppDataUpdate on its own (at receipt): a known component, and a removal of something present. */
    static void check(Proposal.AppDataUpdate p, List<Extension> groupExtensions, AppDataUpdater updater) {
        if (!updater.knows(p.componentId)) {
            throw ProposalList.invalid("AppDataUpdate for component " + p.componentId + ", unknown to the application");
        }
        if (p.update == null && !AppDataDictionary.find(groupExtensions).contains(p.componentId)) {
            throw ProposalList.invalid("AppDataUpdate removes component " + p.componentId + ", which has no data");
        }
    }

    /** Applies the commit's AppDataUpdates, in commit order per component, to {@code out.extensions}. */
    static void apply(List<ProposalList.Entry> entries, ProposalList out, AppDataUpdater updater) {
        List<Integer> components = new ArrayList<>();
        for (ProposalList.Entry e : entries) {
            if (e.proposal instanceof Proposal.AppDataUpdate) {
                int id = ((Proposal.AppDataUpdate) e.proposal).componentId;
                if (!components.contains(id)) {
                    components.add(id);
                }
            }
        }
        if (components.isEmpty()) {
            return;
        }
        AppDataDictionary dict = AppDataDictionary.find(out.extensions);
        for (int id : components) {
            List<byte[]> updates = new ArrayList<>();
            int removals = 0;
            for (ProposalList.Entry e : entries) {
                if (e.proposal instanceof Proposal.AppDataUpdate && ((Proposal.AppDataUpdate) e.proposal).componentId == id) {
                    Proposal.AppDataUpdate u = (Proposal.AppDataUpdate) e.proposal;
                    if (u.update == null) {
                        removals++;
                    } else {
                        updates.add(u.update);
                    }
                }
            }
            if (!updater.knows(id)) {
                throw ProposalList.invalid("AppDataUpdate for component " + id + ", unknown to the application");
            }
            if (removals > 0) {
                if (removals > 1 || !updates.isEmpty()) {
                    throw ProposalList.invalid("component " + id + " is both removed and updated, or removed twice");
                }
                if (!dict.contains(id)) {
                    throw ProposalList.invalid("AppDataUpdate removes component " + id + ", which has no data");
                }
                dict = dict.without(id);
            } else {
                byte[] next = updater.apply(id, dict.get(id), updates);
                if (next == null) {
                    throw ProposalList.invalid("the application refused the update of component " + id);
                }
                dict = dict.with(id, next);
            }
        }
        Extension ext = dict.toExtension();
        boolean replaced = false;
        for (int i = 0; i < out.extensions.size(); i++) {
            if (out.extensions.get(i).type() == ExtensionType.APP_DATA_DICTIONARY) {
                out.extensions.set(i, ext);
                replaced = true;
            }
        }
        if (!replaced) {
            out.extensions.add(ext); // "add one to the end of the extensions list"
        }
        out.extensionsChanged = true;
    }

    /**
     * When AppDataUpdate is a required proposal type, a GroupContextExtensions proposal must leave
     * the app_data_dictionary extension exactly as it was.
     */
    static void checkGroupContextExtensions(List<Extension> current, List<Extension> proposed) {
        RequiredCapabilities required = RequiredCapabilities.find(current);
        if (required == null) {
            return;
        }
        boolean appDataUpdateRequired = false;
        for (int t : required.proposalTypes) {
            appDataUpdateRequired |= t == Proposal.APP_DATA_UPDATE;
        }
        if (appDataUpdateRequired && !Arrays.equals(dictionaryBytes(current), dictionaryBytes(proposed))) {
            throw ProposalList.invalid("with AppDataUpdate required, GroupContextExtensions must not change app_data_dictionary");
        }
    }

    private static byte[] dictionaryBytes(List<Extension> ext) {
        for (Extension e : ext) {
            if (e.type() == ExtensionType.APP_DATA_DICTIONARY) {
                return e.data();
            }
        }
        return null;
    }
}

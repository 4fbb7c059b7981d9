package org.mlskit.js.api;

import org.mlskit.group.Group;

/** A group as JavaScript holds it: the group and the external PSK table its config reads. */
final class GroupSlot {
    Group group;
    final PskTable psks;

    GroupSlot(Group group, PskTable psks) {
        this.group = group;
        this.psks = psks;
    }
}

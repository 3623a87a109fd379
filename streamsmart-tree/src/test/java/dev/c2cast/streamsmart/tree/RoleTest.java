package dev.c2cast.streamsmart.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RoleTest
{
    @Test
    void memberRoleFollowsChildren()
    {
        assertEquals(Role.LEAF, Role.ofMember(0));
        assertEquals(Role.INTERNAL, Role.ofMember(3));
        assertThrows(IllegalArgumentException.class, () -> Role.ofMember(-1));
    }
}

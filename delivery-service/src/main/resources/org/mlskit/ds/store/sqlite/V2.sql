-- Schema 2: a counter every write transaction bumps when it changed anything other than new
-- messages (rooms, memberships, devices, ...). A writer keeps what it read (a room's epoch, who
-- holds a leaf) from one transaction to the next while the counter is where it left it, so a
-- message to a room it has seen costs one statement; another instance's change moves the counter.
CREATE TABLE write_generation (id INT PRIMARY KEY, n BIGINT NOT NULL);
INSERT INTO write_generation (id, n) VALUES (1, 0);

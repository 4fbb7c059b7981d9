-- Schema 4: messages by age. The retention pass finds old messages through it; without it, each
-- pass read the whole messages table inside the write lock (every writer waited for it).
CREATE INDEX messages_created ON messages (created, id);

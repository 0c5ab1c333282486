DROP TABLE blocks;
DROP TABLE contact_details;
DROP INDEX posts_conversation;
ALTER TABLE posts DROP COLUMN conversation_id;
DROP TABLE conversation_members;
DROP TABLE conversations;

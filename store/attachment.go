package store

import (
	"context"
	"database/sql"
	"errors"

	biebplein "github.com/biebplein/biebplein"
)

// FindAttachment returns the attachment stored under a media file id, with the post it
// belongs to, in one query. Returns not_found when no post carries the file. Whether the
// reader may see that post is the caller's question (service.Attachment).
func (db *DB) FindAttachment(ctx context.Context, fileID string) (*biebplein.Attachment, error) {
	var a biebplein.Attachment
	err := db.read().queryRow(ctx, `SELECT post_id, file_id, kind, content_type, name, size, width, height, has_thumb, position
		FROM attachments WHERE file_id = ? ORDER BY post_id LIMIT 1`, fileID).
		Scan(&a.PostID, &a.ID, &a.Kind, &a.ContentType, &a.Name, &a.Size, &a.Width, &a.Height, &a.HasThumb, &a.Position)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	}
	if err != nil {
		return nil, wrap("find attachment", err)
	}
	return &a, nil
}

package api

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
)

func TestNotificationShape(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		g := postWorld(t, f)
		p := f.mustPost(t, f.bob, biebplein.PostInput{GroupID: g.ID, Body: "Wat vindt @Alice de Vries ervan?"})
		c := f.mustComment(t, f.carol, p.ID, "En @Alice de Vries, wat denk jij?")

		res := f.get(t, "/api/v1/notifications", f.aliceToken)
		wantStatus(t, res, http.StatusOK)
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(res.body, &raw); err != nil {
			t.Fatal(err)
		}
		if got, want := slices.Sorted(maps.Keys(raw)), []string{"items", "next_cursor", "unread_count"}; !slices.Equal(got, want) {
			t.Fatalf("keys = %v, want %v", got, want)
		}
		var items []map[string]json.RawMessage
		if err := json.Unmarshal(raw["items"], &items); err != nil || len(items) != 1 {
			t.Fatalf("items = %s (%v)", raw["items"], err)
		}
		want := []string{"actor", "actor_count", "comment_id", "created_at", "group", "group_id", "id", "kind", "post_id", "read", "updated_at"}
		if got := slices.Sorted(maps.Keys(items[0])); !slices.Equal(got, want) {
			t.Fatalf("item keys = %v\nwant        %v", got, want)
		}

		list := decode[notificationListJSON](t, res, http.StatusOK)
		n := list.Items[0]
		if n.Kind != "mention" || n.Actor != (personRefJSON{ID: f.carol.ID, Name: f.carol.Name}) || n.ActorCount != 2 ||
			n.PostID == nil || *n.PostID != p.ID || n.CommentID == nil || *n.CommentID != c.ID ||
			n.GroupID != g.ID || n.Group != (groupRefJSON{ID: g.ID, Name: g.Name}) || n.Read ||
			n.CreatedAt.Location() != time.UTC || n.UpdatedAt.Before(n.CreatedAt) {
			t.Errorf("notification = %+v", n)
		}
		if list.UnreadCount != 1 || list.NextCursor != "" {
			t.Errorf("unread_count = %d, next_cursor = %q", list.UnreadCount, list.NextCursor)
		}

		// A notice about a group has no post.
		closed := f.mustGroup(t, f.alice, "Leesclub", biebplein.VisClosed, "")
		wantStatus(t, f.do(t, req{method: "POST", path: "/api/v1/groups/" + closed.ID + "/join", token: f.bobToken}), http.StatusAccepted)
		res = f.get(t, "/api/v1/notifications", f.aliceToken)
		if err := json.Unmarshal(res.body, &raw); err != nil {
			t.Fatal(err)
		}
		_ = json.Unmarshal(raw["items"], &items)
		if got := string(items[0]["post_id"]); got != "null" || string(items[0]["comment_id"]) != "null" || string(items[0]["kind"]) != `"join_request"` {
			t.Errorf("group notice = %v", items[0])
		}
	})
}

func TestNotifications(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		g := postWorld(t, f)
		var posts []*biebplein.Post
		for _, body := range []string{"Een voor @Alice de Vries", "Twee voor @Alice de Vries", "Drie voor @Alice de Vries"} {
			posts = append(posts, f.mustPost(t, f.bob, biebplein.PostInput{GroupID: g.ID, Body: body}))
		}
		list := func(t *testing.T, query string) notificationListJSON {
			t.Helper()
			return decode[notificationListJSON](t, f.get(t, "/api/v1/notifications"+query, f.aliceToken), http.StatusOK)
		}

		t.Run("Pages", func(t *testing.T) {
			first := list(t, "?limit=2")
			if len(first.Items) != 2 || first.NextCursor == "" || first.UnreadCount != 3 {
				t.Fatalf("first page = %+v", first)
			}
			if *first.Items[0].PostID != posts[2].ID || *first.Items[1].PostID != posts[1].ID {
				t.Errorf("not newest first: %+v", first.Items)
			}
			second := list(t, "?limit=2&cursor="+url.QueryEscape(first.NextCursor))
			if len(second.Items) != 1 || *second.Items[0].PostID != posts[0].ID || second.NextCursor != "" {
				t.Errorf("second page = %+v", second)
			}
			e := wantError(t, f.get(t, "/api/v1/notifications?cursor=bogus", f.aliceToken), http.StatusBadRequest, biebplein.CodeInvalid)
			if e.Fields["cursor"] == "" {
				t.Errorf("fields = %v", e.Fields)
			}
			e = wantError(t, f.get(t, "/api/v1/notifications?unread=yes", f.aliceToken), http.StatusBadRequest, biebplein.CodeInvalid)
			f.wantField(t, e, "unread", "nl", msgUnreadInvalid)
			wantError(t, f.get(t, "/api/v1/notifications", ""), http.StatusUnauthorized, biebplein.CodeUnauthorized)
		})

		t.Run("Read", func(t *testing.T) {
			id := list(t, "").Items[0].ID
			wantStatus(t, f.do(t, req{method: "POST", path: "/api/v1/notifications/read", token: f.aliceToken,
				body: map[string]any{"ids": []string{id}}}), http.StatusNoContent)
			unread := list(t, "?unread=true")
			if len(unread.Items) != 2 || unread.UnreadCount != 2 || slices.ContainsFunc(unread.Items, func(n notificationJSON) bool { return n.ID == id }) {
				t.Fatalf("after reading one: %+v", unread)
			}
			if all := list(t, "?unread=false"); len(all.Items) != 3 || !all.Items[0].Read {
				t.Errorf("all: %+v", all)
			}
			// Someone else's ids, [] and unknown fields change nothing.
			wantStatus(t, f.do(t, req{method: "POST", path: "/api/v1/notifications/read", token: f.bobToken,
				body: map[string]any{"ids": []string{unread.Items[0].ID}}}), http.StatusNoContent)
			wantStatus(t, f.do(t, req{method: "POST", path: "/api/v1/notifications/read", token: f.aliceToken, body: `{"ids": []}`}), http.StatusNoContent)
			e := wantError(t, f.do(t, req{method: "POST", path: "/api/v1/notifications/read", token: f.aliceToken, body: `{"all": true}`}),
				http.StatusBadRequest, biebplein.CodeInvalid)
			if e.Fields["all"] == "" {
				t.Errorf("fields = %v", e.Fields)
			}
			if got := list(t, "").UnreadCount; got != 2 {
				t.Fatalf("unread after no-ops = %d", got)
			}
			wantStatus(t, f.do(t, req{method: "POST", path: "/api/v1/notifications/read", token: f.aliceToken, body: `{}`}), http.StatusNoContent)
			if got := list(t, "?unread=true"); got.UnreadCount != 0 || len(got.Items) != 0 {
				t.Errorf("after reading all: %+v", got)
			}
		})

		t.Run("Secret", func(t *testing.T) {
			secret := f.mustGroup(t, f.alice, "Geheim", biebplein.VisSecret, "")
			f.mustMember(t, f.alice, secret, f.bob)
			f.mustPost(t, f.bob, biebplein.PostInput{GroupID: secret.ID, Body: "Zeg niets tegen @Carol Kok"})
			got := decode[notificationListJSON](t, f.get(t, "/api/v1/notifications", f.mustToken(t, f.carol)), http.StatusOK)
			if len(got.Items) != 0 || got.UnreadCount != 0 {
				t.Errorf("outsider sees %+v", got)
			}
		})
	})
}

func TestNoticePrefs(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		path := "/api/v1/notifications/preferences"
		res := f.get(t, path, f.bobToken)
		wantStatus(t, res, http.StatusOK)
		var raw map[string]json.RawMessage
		_ = json.Unmarshal(res.body, &raw)
		if got := slices.Sorted(maps.Keys(raw)); !slices.Equal(got, []string{"items"}) {
			t.Fatalf("keys = %v", got)
		}
		prefs := decode[noticePrefsJSON](t, res, http.StatusOK)
		if len(prefs.Items) != len(biebplein.NoticeKinds()) || prefs.Items[0] != (noticePrefJSON{Kind: "mention", App: true, Mail: "immediate"}) {
			t.Fatalf("defaults = %+v", prefs.Items)
		}

		// What GET answers can be sent back changed.
		for i := range prefs.Items {
			switch prefs.Items[i].Kind {
			case "reaction":
				prefs.Items[i].App = false
			case "reply":
				prefs.Items[i].Mail = "weekly"
			}
		}
		saved := decode[noticePrefsJSON](t, f.do(t, req{method: "PUT", path: path, token: f.bobToken, body: prefs}), http.StatusOK)
		for _, p := range saved.Items {
			want := noticePrefJSON{Kind: p.Kind, App: true, Mail: string(biebplein.DefaultNoticePref(biebplein.NoticeKind(p.Kind)).Mail)}
			switch p.Kind {
			case "reaction":
				want.App, want.Mail = false, "never"
			case "reply":
				want.Mail = "weekly"
			}
			if p != want {
				t.Errorf("saved %+v, want %+v", p, want)
			}
		}
		if again := decode[noticePrefsJSON](t, f.get(t, path, f.bobToken), http.StatusOK); !slices.Equal(again.Items, saved.Items) {
			t.Errorf("read back %+v", again.Items)
		}
		// Only the kinds sent change.
		one := decode[noticePrefsJSON](t, f.do(t, req{method: "PUT", path: path, token: f.bobToken,
			body: `{"items": [{"kind": "mention", "app": true, "mail": "daily"}]}`}), http.StatusOK)
		if one.Items[0].Mail != "daily" || one.Items[5] != saved.Items[5] {
			t.Errorf("after one: %+v", one.Items)
		}
		if other := decode[noticePrefsJSON](t, f.get(t, path, f.aliceToken), http.StatusOK); other.Items[0].Mail != "immediate" {
			t.Errorf("someone else's changed: %+v", other.Items[0])
		}

		for _, tc := range []struct {
			body, field, key string
		}{
			{`{"items": [{"kind": "mention", "app": true, "mail": "daily"}, {"kind": "gossip", "app": true, "mail": "daily"}]}`, "items.1.kind", msgNoticeKindInvalid},
			{`{"items": [{"kind": "mention", "app": true, "mail": "hourly"}]}`, "items.0.mail", msgMailPrefInvalid},
			{`{"items": [{"kind": "mention", "app": false}]}`, "items.0.mail", msgMailPrefInvalid},
			{`{"items": [{"kind": "mention", "app": true, "mail": "daily", "sms": true}]}`, "sms", "error.json_unknown_field"},
			{`{"items": [{"kind": "mention", "app": "yes", "mail": "daily"}]}`, "items.app", msgJSONType},
		} {
			e := wantError(t, f.do(t, req{method: "PUT", path: path, token: f.bobToken, body: tc.body}), http.StatusBadRequest, biebplein.CodeInvalid)
			if _, ok := e.Fields[tc.field]; !ok {
				t.Errorf("%s: fields = %v, want %s", tc.body, e.Fields, tc.field)
			} else {
				f.wantField(t, e, tc.field, "nl", tc.key)
			}
		}
		if after := decode[noticePrefsJSON](t, f.get(t, path, f.bobToken), http.StatusOK); after.Items[0].Mail != "daily" {
			t.Errorf("a refused body changed something: %+v", after.Items[0])
		}
	})
}

func TestAnnouncementReach(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		g := postWorld(t, f)
		f.mustMember(t, f.alice, g, f.carol)
		if err := f.svc.SaveNoticePrefs(biebplein.NewContext(t.Context(), f.carol),
			[]biebplein.NoticePref{{Kind: biebplein.NoticeAnnouncement, App: true, Mail: biebplein.MailNever}}); err != nil {
			t.Fatal(err)
		}
		reach := decode[reachJSON](t, f.get(t, "/api/v1/groups/"+g.ID+"/reach", f.aliceToken), http.StatusOK)
		if reach != (reachJSON{People: 2, Mailed: 1}) {
			t.Errorf("reach = %+v", reach)
		}
		wantError(t, f.get(t, "/api/v1/groups/"+g.ID+"/reach", f.bobToken), http.StatusForbidden, biebplein.CodeForbidden)

		secret := f.mustGroup(t, f.alice, "Geheim", biebplein.VisSecret, "")
		f.mustMember(t, f.alice, secret, f.bob)
		wantStatus(t, f.get(t, "/api/v1/groups/"+secret.ID+"/reach", f.aliceToken), http.StatusOK)
		wantError(t, f.get(t, "/api/v1/groups/"+secret.ID+"/reach", f.bobToken), http.StatusForbidden, biebplein.CodeForbidden)
		wantError(t, f.get(t, "/api/v1/groups/"+secret.ID+"/reach", f.mustToken(t, f.carol)), http.StatusNotFound, biebplein.CodeNotFound)
		wantError(t, f.get(t, "/api/v1/groups/nope/reach", f.aliceToken), http.StatusNotFound, biebplein.CodeNotFound)
	})
}

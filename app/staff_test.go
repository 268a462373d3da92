package app_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// TestHandoverAPI: the admin hands sam's caseload to lena until a date; lena
// reads noor's file, noor sees that lena may read it and why, and bad input
// changes nothing.
func TestHandoverAPI(t *testing.T) {
	e := newEnv(t)
	admin, lena, noorT := e.token(t, "admin"), e.token(t, "lena"), e.token(t, "noor")
	sam, lenaID := e.users["sam"].ID, e.users["lena"].ID
	last := time.Now().UTC().AddDate(0, 0, 14).Format("2006-01-02")
	e.get(t, lena, "/api/v1/clients/"+e.noorID).expect(t, http.StatusForbidden)
	for _, tc := range []struct {
		name   string
		token  string
		body   map[string]string
		status int
	}{
		{"ErrDate", admin, map[string]string{"from": sam, "to": lenaID, "until": "20 december", "mode": "share"}, http.StatusUnprocessableEntity},
		{"ErrPast", admin, map[string]string{"from": sam, "to": lenaID, "until": "2020-01-01", "mode": "share"}, http.StatusUnprocessableEntity},
		{"ErrMode", admin, map[string]string{"from": sam, "to": lenaID, "until": last, "mode": "lend"}, http.StatusUnprocessableEntity},
		{"ErrSame", admin, map[string]string{"from": sam, "to": sam, "until": last, "mode": "share"}, http.StatusUnprocessableEntity},
		{"ErrToClient", admin, map[string]string{"from": sam, "to": e.users["noor"].ID, "until": last, "mode": "share"}, http.StatusUnprocessableEntity},
		{"ErrNotAdmin", e.token(t, "dpo"), map[string]string{"from": sam, "to": lenaID, "until": last, "mode": "share"}, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.do(t, req{method: http.MethodPost, path: "/api/v1/caseloads/handover", token: tc.token, body: tc.body, badInput: tc.name == "ErrMode" || tc.name == "ErrDate"}).expect(t, tc.status)
		})
	}
	e.get(t, lena, "/api/v1/clients/"+e.noorID).expect(t, http.StatusForbidden)
	var ho struct {
		Clients  int    `json:"clients"`
		FromName string `json:"from_name"`
		Until    string `json:"until"`
	}
	e.post(t, admin, "/api/v1/caseloads/handover", map[string]string{"from": sam, "to": lenaID, "until": last, "mode": "share"}).
		expect(t, http.StatusCreated).decode(t, &ho)
	if ho.Clients < 1 || ho.FromName == "" {
		t.Fatalf("handover: %+v", ho)
	}
	e.get(t, lena, "/api/v1/clients/"+e.noorID).expect(t, http.StatusOK)
	e.get(t, e.token(t, "sam"), "/api/v1/clients/"+e.noorID).expect(t, http.StatusOK)
	var holders struct {
		Holders []struct {
			Name        string `json:"name"`
			Until       string `json:"until"`
			StandsInFor string `json:"stands_in_for"`
		} `json:"holders"`
	}
	e.get(t, noorT, "/api/v1/me/file-access").expect(t, http.StatusOK).decode(t, &holders)
	found := false
	for _, h := range holders.Holders {
		if h.Name == "Lena Claessens" && h.StandsInFor != "" && h.Until == ho.Until {
			found = true
		}
	}
	if !found {
		t.Fatalf("noor sees %+v", holders)
	}
	var list struct {
		Handovers []struct{ Mode string } `json:"handovers"`
	}
	e.get(t, admin, "/api/v1/caseloads/handovers").expect(t, http.StatusOK).decode(t, &list)
	if len(list.Handovers) != 1 || list.Handovers[0].Mode != "share" {
		t.Fatalf("handovers: %+v", list)
	}
	e.get(t, lena, "/api/v1/caseloads/handovers").expect(t, http.StatusForbidden)
}

func TestClientCodesAndReviewAPI(t *testing.T) {
	e := newEnv(t)
	dpo := e.token(t, "dpo")
	var codes struct {
		Clients []struct {
			ClientID string `json:"client_id"`
			CaseCode string `json:"case_code"`
		} `json:"clients"`
	}
	e.get(t, dpo, "/api/v1/client-codes").expect(t, http.StatusOK).decode(t, &codes)
	if len(codes.Clients) < 20 || codes.Clients[0].CaseCode == "" {
		t.Fatalf("client codes: %+v", codes)
	}
	e.get(t, e.token(t, "noor"), "/api/v1/client-codes").expect(t, http.StatusForbidden)
	var an struct {
		Anomalies []struct {
			Kind   string          `json:"kind"`
			Key    string          `json:"key"`
			Review json.RawMessage `json:"review"`
		} `json:"anomalies"`
	}
	e.get(t, dpo, "/api/v1/anomalies").expect(t, http.StatusOK).decode(t, &an)
	key, reviewed := "", 0
	for _, a := range an.Anomalies {
		if a.Review != nil {
			reviewed++
		} else if key == "" {
			key = a.Key
		}
	}
	if key == "" || reviewed != 1 {
		t.Fatalf("anomalies (the demo reviewed one): %+v", an)
	}
	e.do(t, req{method: http.MethodPost, path: "/api/v1/anomalies/review", token: dpo, body: map[string]string{"key": key, "note": "x"}, badInput: true}).
		expect(t, http.StatusUnprocessableEntity)
	e.post(t, dpo, "/api/v1/anomalies/review", map[string]string{"key": "nothing:1", "note": "Looked at it"}).expect(t, http.StatusUnprocessableEntity)
	e.post(t, dpo, "/api/v1/anomalies/review", map[string]string{"key": key, "note": "Looked at it with the team lead"}).expect(t, http.StatusNoContent)
	e.post(t, dpo, "/api/v1/anomalies/review", map[string]string{"key": key, "note": "Again"}).expect(t, http.StatusConflict)
	e.post(t, e.token(t, "admin"), "/api/v1/anomalies/review", map[string]string{"key": key, "note": "Looked"}).expect(t, http.StatusForbidden)
}

func TestCaseloadSearchAPI(t *testing.T) {
	e := newEnv(t)
	sam := e.token(t, "sam")
	var all, one struct {
		Clients []struct {
			Name     string `json:"name"`
			CaseCode string `json:"case_code"`
		} `json:"clients"`
	}
	e.get(t, sam, "/api/v1/clients?sort=next").expect(t, http.StatusOK).decode(t, &all)
	e.get(t, sam, "/api/v1/clients?q=noor").expect(t, http.StatusOK).decode(t, &one)
	if len(all.Clients) < 5 || len(one.Clients) != 1 || one.Clients[0].CaseCode == "" {
		t.Fatalf("caseload %d clients, search for noor %+v", len(all.Clients), one)
	}
	e.do(t, req{method: http.MethodGet, path: "/api/v1/clients?sort=name", token: sam, badInput: true}).expect(t, http.StatusUnprocessableEntity)
}
